"""Energy dropout check for the voice quality bench (docs/BENCHMARKS.md): every active 20 ms frame of the reference
against the loudest 20 ms of the recording within one frame of the global lag; prints the frames that dropped out
as (frame, seconds, reference dB, best recorded dB). Needs numpy.
usage: python3 scripts/voice-dropouts.py REFERENCE.wav RECORDED.wav LAG_MS"""
import numpy as np, wave, sys
def rd(p):
    w=wave.open(p); x=np.frombuffer(w.readframes(w.getnframes()),dtype='<i2').astype(float); return x
ref=rd(sys.argv[1]); deg=rd(sys.argv[2]); lagms=float(sys.argv[3])
F=960; n=len(ref)//F
e=lambda x: 10*np.log10(np.mean(x**2)+1e-9)
er=np.array([e(ref[i*F:(i+1)*F]) for i in range(n)]); loud=er.max()
lag=int(round(lagms*48))
out=[]
for f in range(n):
    if er[f] < loud-30 or er[f]<20: continue
    best=-1e9
    for d in range(-F-200, F+201, 48):
        a=f*F+lag+d
        if a<0 or a+F>len(deg): continue
        best=max(best, e(deg[a:a+F]))
    if best < er[f]-20: out.append((f, round(f*0.02,2), round(er[f],1), round(best,1)))
print(out)
