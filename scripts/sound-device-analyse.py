#!/usr/bin/env python3
"""Reads a stereo 16-bit WAV recorded by scripts/sound-device-check.sh: left = what the virtual
microphone was given ("mouth"), right = what the callee's speaker played ("ear"), on one clock.
The signal is a tone in bursts (on/off); prints the mouth-to-ear delay of each burst onset, the
bursts heard, the frequency and level heard, and the silent gaps inside bursts (dropouts).
Standard library only. Exit 0 when the tone arrived (every burst sent during the call heard, the
right frequency, dropouts under 2 % of the audio), 1 otherwise."""
import argparse
import math
import statistics
import struct
import sys
import wave

WINDOW_MS = 1  # envelope resolution

def read(path):
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 2 or w.getsampwidth() != 2:
            sys.exit(f"{path}: want 16-bit stereo, got {w.getnchannels()} ch x {8 * w.getsampwidth()} bit")
        rate = w.getframerate()
        raw = w.readframes(w.getnframes())
    samples = struct.unpack(f"<{len(raw) // 2}h", raw)
    return rate, samples[0::2], samples[1::2]

def envelope(x, rate):
    n = rate * WINDOW_MS // 1000
    return [math.sqrt(sum(v * v for v in x[i:i + n]) / n) / 32768.0 for i in range(0, len(x) - n + 1, n)]

def bursts(env, threshold, min_gap_ms):
    """(start_ms, end_ms) of runs above threshold; gaps shorter than min_gap_ms are bridged."""
    out = []
    start = None
    below = 0
    for i, e in enumerate(env):
        if e >= threshold:
            if start is None:
                start = i
            below = 0
        elif start is not None:
            below += 1
            if below >= min_gap_ms:
                out.append((start, i - below + 1))
                start, below = None, 0
    if start is not None:
        out.append((start, len(env) - below))
    return out

def dropouts(env, start, end, threshold, min_ms):
    """Runs of at least min_ms below threshold strictly inside [start, end)."""
    count = total = run = 0
    for e in env[start:end]:
        if e < threshold:
            run += 1
        else:
            if run >= min_ms:
                count += 1
                total += run
            run = 0
    return count, total

def zero_crossing_hz(x, rate, segs):
    crossings = samples = 0
    for s, e in segs:
        a, b = (s + 10) * rate // 1000, (e - 10) * rate // 1000
        seg = x[a:b]
        crossings += sum(1 for p, q in zip(seg, seg[1:]) if (p < 0) != (q < 0))
        samples += len(seg)
    return crossings * rate / 2 / samples if samples else 0.0

def dbfs(v):
    return 20 * math.log10(v) if v > 0 else float("-inf")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wav")
    ap.add_argument("--tone", type=float, default=1000)
    ap.add_argument("--on-ms", type=int, default=300)
    ap.add_argument("--off-ms", type=int, default=200)
    a = ap.parse_args()
    rate, mouth, ear = read(a.wav)
    em, ee = envelope(mouth, rate), envelope(ear, rate)
    peak_m = max(em) if em else 0
    if peak_m == 0:
        print("mouth channel silent: the virtual microphone got nothing")
        return 1
    thr_m = peak_m / 4
    sent = [b for b in bursts(em, thr_m, a.off_ms // 2) if b[1] - b[0] >= a.on_ms // 2]
    peak_e = max(ee) if ee else 0
    if peak_e < peak_m / 100:
        print(f"ear channel silent (peak {dbfs(peak_e):.1f} dBFS): nothing reached the speaker")
        return 1
    thr_e = peak_e / 4
    heard = [b for b in bursts(ee, thr_e, a.off_ms // 2) if b[1] - b[0] >= 20]
    # Each heard burst belongs to the latest sent burst that started before it.
    delays = []
    for s, _ in heard:
        before = [m for m, _ in sent if m <= s]
        if before and s - before[-1] < a.on_ms + a.off_ms:
            delays.append(s - before[-1])
    # Bursts sent while the call could carry them: from the first heard one's source to the last.
    first = heard[0][0] - (delays[0] if delays else 0)
    last = heard[-1][0]
    in_call = [b for b in sent if first <= b[0] <= last]
    lengths = [e - s for s, e in heard]
    # Whole bursts only (not the first and last, which the call's start and end may cut).
    inner = heard[1:-1] if len(heard) > 2 else heard
    gaps = [dropouts(ee, s + 5, e - 5, thr_e / 4, 5) for s, e in inner]
    n_drop, drop_ms = sum(g[0] for g in gaps), sum(g[1] for g in gaps)
    hz = zero_crossing_hz(ear, rate, inner)
    rms = lambda x, segs: math.sqrt(sum(v * v for s, e in segs for v in x[(s + 10) * rate // 1000:(e - 10) * rate // 1000])
                                  / max(1, sum((e - s - 20) * rate // 1000 for s, e in segs))) / 32768.0
    level_m, level_e = rms(mouth, sent), rms(ear, inner)
    print(f"bursts: sent during the call {len(in_call)}, heard {len(heard)}; burst length heard median "
          f"{statistics.median(lengths)} ms (sent {a.on_ms} ms)")
    if delays:
        q = sorted(delays)
        print(f"mouth-to-ear through the devices: median {statistics.median(q):.0f} ms, min {q[0]} ms, "
              f"max {q[-1]} ms (n={len(q)}, 1 ms resolution)")
    print(f"ear: {hz:.0f} Hz (tone {a.tone:.0f} Hz), level {dbfs(level_e):.1f} dBFS RMS (mouth {dbfs(level_m):.1f} dBFS)")
    print(f"dropouts inside whole bursts: {n_drop} ({drop_ms} ms over {len(inner)} bursts)")
    # A dropout or two on a loaded machine is reported, not failed: more than 2 % of the audio is.
    ok = (len(heard) >= len(in_call) - 1 and abs(hz - a.tone) <= a.tone * 0.02 and delays
          and drop_ms <= 0.02 * sum(e - s for s, e in inner))
    print("tone arrived: " + ("yes" if ok else "NO"))
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
