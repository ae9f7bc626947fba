#!/usr/bin/env bash
# The voice quality bench for Opus (docs/BENCHMARKS.md "Voice quality and latency", sections 1-3 with the codec
# loop reduced to opus), with client flags such as --redundancy off|always or --redundancy-frames 1,2.
# Needs espeak-ng and sox (apt-get install espeak-ng sox) and a build: mvn -B -q -o -pl app -am package -DskipTests
# usage: scripts/voice-quality.sh TAG "LOSSES" "SEEDS" [extra client flags for both sides...]
#   e.g. scripts/voice-quality.sh red "0 5 15" "1 2 3 4"        (results under $VQ_DIR, default /tmp/causerie-vq)
# Loopback only; each call is one real server process and two real clients.
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=$1; LOSSES=$2; SEEDS=$3; shift 3; EXTRA=("$@")
VQ=${VQ_DIR:-/tmp/causerie-vq}; mkdir -p "$VQ"
W=$VQ/$TAG; rm -rf "$W"; mkdir -p "$W"
[ -f "$VQ/cp.txt" ] || mvn -B -q -o -pl client dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$VQ/cp.txt" >/dev/null
RUN="java -cp app/target/causerie.jar:app/target/lib/* io.causerie.app.Main"
BENCH="java -cp client/target/test-classes:client/target/classes:media/target/classes:$(cat "$VQ/cp.txt") -Dlogback.configurationFile=/dev/null io.causerie.client.media.VoiceBench"
if [ ! -f $VQ/speech.wav ]; then
espeak-ng -v en-us -s 155 -w "$VQ/speech22k.wav" "The quick brown fox jumps over the lazy dog. Please call Stella and \
ask her to bring these things with her from the store: six spoons of fresh snow peas, five thick slabs of blue cheese, \
and maybe a snack for her brother Bob. When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow."
sox "$VQ/speech22k.wav" -r 48000 -b 16 "$VQ/speech.wav" pad 0.5 0
fi
SECS=$(soxi -D $VQ/speech.wav)
PW=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
for u in vbalice vbbob; do echo "$PW" | $RUN user add "$u" --password-stdin --iterations 4096 --db "$W/bench.db" >/dev/null; done
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$RUN server --bind 127.0.0.1 --port "$PORT" --media-ports 0 --db "$W/bench.db" 2>"$W/server.log" &
SERVER=$!; trap 'kill $SERVER 2>/dev/null || true' EXIT; sleep 2
client() { local who=$1; shift; echo "$PW" | $RUN client --server "127.0.0.1:$PORT" --user "$who" --password-stdin --known-servers "$W/known" "$@"; }
for loss in $LOSSES; do
  for seed in $SEEDS; do
    imp=(); [ "$loss" != 0 ] && imp=(--impair "loss=$loss,seed=$seed")
    t=$loss-$seed
    client vbbob --answer --wait 60 --record "$W/rec-$t.wav" "${imp[@]}" "${EXTRA[@]}" > "$W/bob-$t.jsonl" 2>"$W/bob-$t.log" &
    BOB=$!; until grep -q registered "$W/bob-$t.jsonl" 2>/dev/null; do sleep 0.2; done
    client vbalice --call vbbob --play $VQ/speech.wav --codec opus "${EXTRA[@]}" --duration "$(python3 -c "print($SECS + 1)")" \
        > "$W/alice-$t.jsonl" 2>"$W/alice-$t.log" || true
    wait $BOB || true
    echo "== $TAG loss=$loss seed=$seed: $($BENCH compare $VQ/speech.wav "$W/rec-$t.wav")"
    grep call-ended "$W/bob-$t.jsonl" | sed 's/^.*durationSeconds[^,]*,/   bob: /'
    grep -h "payload bytes" "$W/alice-$t.log" | sed 's/^.*stopped:.*; /   alice: /' || true
    grep -h "stalled" "$W/alice-$t.log" "$W/bob-$t.log" | sed 's/^/   /' || true
  done
done
