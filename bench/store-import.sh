#!/usr/bin/env bash
# The embedded store at scale: `nacgw devices import` of N synthetic devices (time, peak and final disk of the data
# directory, sampled every 0.5 s), then three real `nacgw run` start-ups, each timed from the JVM's start to the
# gateway's "nacgw ready" line (store opened, whole index loaded), then stopped with SIGTERM.
#   bench/store-import.sh                  # 1,000,000 devices
#   N=100000 bench/store-import.sh         # smaller
# Environment: N (1000000), SEED (1), JAR (gateway/target/nacgw.jar), WORK (a new temp directory), DEVICES (an
# existing device file to import instead of generating one), HEAP (the
# recommended -Xmx for N: 256 MiB + 1 KiB per device), KEEP=1 keeps WORK.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
SEED=${SEED:-1}
JAR=${JAR:-gateway/target/nacgw.jar}
HEAP=${HEAP:-$(( (256 + N / 1024 + 127) / 128 * 128 ))m}
WORK=${WORK:-$(mktemp -d /tmp/nacgw-import-bench.XXXXXX)}
[ -f "$JAR" ] || mvn -B -q package -DskipTests
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/data"
# no listeners: a start-up opens the store, loads the index and says it is ready
cat > "$WORK/data/nacgw.yaml" <<'YAML'
dataDir: .
radius: {enabled: false}
api: {enabled: false}
metrics: {enabled: false}
policy: {profiles: {bench: {}}}
YAML
DEVICES=${DEVICES:-$WORK/devices.jsonl}
[ -f "$DEVICES" ] || java -jar "$JAR" loadtest devices --count "$N" --seed "$SEED" --out "$DEVICES" >/dev/null
echo "devices file: $(du -h "$DEVICES" | cut -f1) for $N devices; heap -Xmx$HEAP"

echo 0 > "$WORK/peak"
( peak=0
  while sleep 0.5; do
    s=$(du -sb "$WORK/data" 2>/dev/null | cut -f1)
    if [ "${s:-0}" -gt "$peak" ]; then peak=$s; echo "$peak" > "$WORK/peak"; fi
  done ) &
sampler=$!
t0=$(date +%s.%N)
java -Xmx"$HEAP" -jar "$JAR" devices import "$DEVICES" --config "$WORK/data/nacgw.yaml"
t1=$(date +%s.%N)
sleep 1
kill "$sampler" 2>/dev/null || true
sampler=""
final=$(( $(du -sb "$WORK/data" | cut -f1) - $(stat -c %s "$WORK/data/nacgw.yaml") ))
peak=$(cat "$WORK/peak")
[ "$final" -gt "$peak" ] && peak=$final
awk -v n="$N" -v a="$t0" -v b="$t1" -v p="$peak" -v f="$final" 'BEGIN {
  printf "import: %d devices in %.1f s (%.0f devices/s); disk peak %.1f MB, final %.1f MB (peak/final %.2f)\n",
         n, b - a, n / (b - a), p / 1e6, f / 1e6, p / f }'
ls -l "$WORK/data"
for run in 1 2 3; do
  s0=$(date +%s.%N)
  java -Xmx"$HEAP" -jar "$JAR" run --config "$WORK/data/nacgw.yaml" > "$WORK/run$run.log" 2>&1 &
  pid=$!
  ready=""
  for _ in $(seq 6000); do # 10 minutes at most
    if grep -q '^nacgw ready' "$WORK/run$run.log"; then ready=$(date +%s.%N); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$ready" ]; then
    echo "start-up $run: the gateway never said it was ready:" >&2
    tail -n 5 "$WORK/run$run.log" >&2
    exit 1
  fi
  grep -m1 '^nacgw ready' "$WORK/run$run.log"
  awk -v r="$run" -v a="$s0" -v b="$ready" 'BEGIN { printf "start-up %d (nacgw run to \"nacgw ready\", JVM start included): %.1f s\n", r, b - a }'
done
