#!/usr/bin/env bash
# sound-device-check.sh - runs a real call through javax.sound.sampled devices backed by a private
# PulseAudio server with virtual devices, and checks what reaches the "speaker".
#
#   scripts/sound-device-check.sh [--seconds N] [--tone HZ] [--keep]
#
# Needs: pulseaudio, pulseaudio-utils (pactl, paplay, parecord), libasound2-plugins (ALSA 'pulse'
# plugin, which makes ALSA's 'default' device a PulseAudio client), sox. On Debian 12:
#   apt-get install -y pulseaudio pulseaudio-utils libasound2-plugins alsa-utils sox
#
# What it does: starts its own PulseAudio daemon (runtime dir under a temporary directory, so it
# never touches a desktop session's server), with two null sinks: 'mic' (a tone is played into it
# and its monitor is the caller's microphone) and 'spk' (the callee's speaker; its monitor is
# recorded). Java sees PulseAudio as the ALSA device "default [default]"; PULSE_SOURCE / PULSE_SINK
# pick which virtual device each client's ALSA stream lands on. Then: a server on loopback with a
# temporary database, bob answers with --output default (and --record, for comparison), alice calls
# with --input default, and the recording of 'spk' is checked for the tone's frequency and level.
# Exits 0 when the tone arrived, 1 when it did not, 2 when the sound server could not be set up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=8
tone=1000
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --tone) tone="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--seconds N] [--tone HZ] [--keep]" >&2; exit 2 ;;
  esac
done

for tool in pulseaudio pactl paplay parecord sox java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "sound-device-check: '$tool' is missing (see the header of $0)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/causerie-sound.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pulseaudio --kill 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A private PulseAudio: its socket, pid file and state live under $work.
export XDG_RUNTIME_DIR="$work/run" PULSE_RUNTIME_PATH="$work/run/pulse" PULSE_STATE_PATH="$work/state"
mkdir -p "$XDG_RUNTIME_DIR" "$PULSE_STATE_PATH" && chmod 700 "$XDG_RUNTIME_DIR"
# 'lab' is a stereo null sink whose monitor is recorded: its left channel is the microphone's signal
# (the remapped sink 'mic', played into by paplay; the remapped source 'micsrc' is the caller's
# microphone), its right channel is the callee's speaker (the remapped sink 'spk'). Both on one
# clock, so the delay between the two channels is the call's mouth-to-ear delay through the devices.
m="rate=48000 channels=1 channel_map=mono remix=no"
pa_flags=(-n --daemonize=yes --exit-idle-time=-1 --disallow-exit --log-target="file:$work/pulse.log"
  -L module-native-protocol-unix
  -L "module-null-sink sink_name=lab rate=48000 channels=2 channel_map=front-left,front-right"
  -L "module-remap-sink sink_name=mic master=lab master_channel_map=front-left $m"
  -L "module-remap-sink sink_name=spk master=lab master_channel_map=front-right $m"
  -L "module-remap-source source_name=micsrc master=lab.monitor master_channel_map=front-left $m")
if [ "$(id -u)" = 0 ]; then pa_flags+=(--system=false); fi
if ! pulseaudio "${pa_flags[@]}" 2>"$work/pulse.err"; then
  echo "sound-device-check: pulseaudio did not start:" >&2; cat "$work/pulse.err" "$work/pulse.log" >&2 2>/dev/null; exit 2
fi
for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
pactl info >/dev/null || { echo "sound-device-check: pactl cannot reach the server" >&2; exit 2; }
echo "pulseaudio $(pulseaudio --version | awk '{print $2}') at $PULSE_RUNTIME_PATH; sinks: $(pactl list short sinks | awk '{print $2}' | tr '\n' ' ')"

cd "$here"
./causerie devices | tee "$work/devices.txt" # builds the project if needed
# From here on the built jar directly: the launcher's on-demand rebuild must not delay a client mid-check.
cp="$here/app/target/causerie.jar:$here/app/target/lib/*"
causerie() { java -cp "$cp" io.causerie.app.Main "$@"; }
grep -q '^capture' "$work/devices.txt" || { echo "sound-device-check: Java sees no devices (is libasound2-plugins installed?)" >&2; exit 2; }

# The caller's microphone: tone bursts (300 ms on, 200 ms off) for longer than the call.
sox -q -n -r 48000 -c 1 -b 16 "$work/bursts.wav" synth 0.3 sine "$tone" vol 0.5 pad 0 0.2 repeat $((2 * seconds + 30))

# A server on loopback with a temporary database, and two users.
port="$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
db="$work/causerie.db"
for u in alice bob; do
  echo "$u-password" | causerie user add "$u" --password-stdin --iterations 4096 --db "$db" >/dev/null
done
java -cp "$cp" io.causerie.app.Main server --bind 127.0.0.1 --port "$port" --media-ports 0 --db "$db" >"$work/server.out" 2>"$work/server.err" & pids+=($!)

# Only ever run in the background: exec, so that the pid recorded is the JVM's and cleanup can stop it.
client() { exec java -cp "$cp" io.causerie.app.Main client --server "127.0.0.1:$port" --known-servers "$work/known_servers" --password-stdin "$@"; }

parecord --device=lab.monitor --rate=48000 --channels=2 --format=s16le --file-format=wav "$work/lab.wav" & rec=$!; pids+=($rec)
# The callee plays on 'spk' (and records to a WAV file: the same audio without the device).
echo bob-password | PULSE_SINK=spk client --user bob --answer --wait 60 --output default --record "$work/bob.wav" \
  >"$work/bob.jsonl" 2>"$work/bob.err" & bob=$!; pids+=($bob)
for _ in $(seq 300); do grep -q '"registered"' "$work/bob.jsonl" 2>/dev/null && break; sleep 0.1; done
paplay --device=mic "$work/bursts.wav" & pids+=($!)
echo alice-password | PULSE_SOURCE=micsrc client --user alice --call bob --duration "$seconds" --input default \
  >"$work/alice.jsonl" 2>"$work/alice.err" & alice=$!; pids+=($alice)
# While the call runs: PulseAudio's view of the two Java streams (their buffer latency).
sleep $((seconds / 2 + 2))
pactl list sink-inputs >"$work/sink-inputs.txt"; pactl list source-outputs >"$work/source-outputs.txt"
status=0
wait "$alice" || { echo "alice's client failed:" >&2; tail -20 "$work/alice.err" >&2; status=1; }
wait "$bob" || { echo "bob's client failed:" >&2; tail -20 "$work/bob.err" >&2; status=1; }
sleep 0.5; kill "$rec" 2>/dev/null || true; wait "$rec" 2>/dev/null || true

echo "--- PulseAudio's view of the two Java streams, mid-call"
for f in sink-inputs source-outputs; do
  awk -v kind="$f" '
    /^(Sink Input|Source Output) #/ { if (java) print kind ":" info; info = ""; java = 0 }
    /Sample Specification|Buffer Latency|Sink Latency|Source Latency/ { sub(/^[ \t]+/, ""); info = info "  " $0 }
    /application.process.binary = "java"/ { java = 1 }
    END { if (java) print kind ":" info }' "$work/$f.txt"
done
echo "--- the clients' device figures"
grep -h -i 'device\|stalled' "$work/alice.err" "$work/bob.err" | sed 's/^[0-9:.]* //' || true
grep -h '"call-ended"' "$work/alice.jsonl" "$work/bob.jsonl" || true
echo "--- what reached the speaker"
python3 "$here/scripts/sound-device-analyse.py" "$work/lab.wav" --tone "$tone" --on-ms 300 --off-ms 200 || status=1
exit "$status"
