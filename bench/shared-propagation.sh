#!/usr/bin/env bash
# Shared mode (issue 14): how fast a change committed on node A is in node B's decisions, and what A's ingest costs
# B's RADIUS throughput.
#   bench/shared-propagation.sh                 # full run (about 5 minutes)
#   QUICK=1 bench/shared-propagation.sh         # a short smoke run of the script itself
# Steps: build nacgw's classes from the current tree, generate DEVICES synthetic devices and a RADIUS config
# (bench/lib/nacgw-conf.sh), create a schema of its own in PostgreSQL (PGURL, default the local test database),
# import the devices, then run gateway/src/test/java/io/nacgw/gateway/SharedPropagationBench.java: two gateways A and
# B on that schema in one JVM, B serving RADIUS on a free loopback port. (1) A writes device changes at each rate in
# RATES for SECONDS; each change is timed from A's commit to B's change event (B's index holds it, so B's next
# decision uses it); every change must arrive. (2) B's RADIUS throughput (closed loop, CONCURRENCY outstanding, every
# answer's authenticator and verdict checked) idle and while A ingests at the highest rate, alternating, RUNS times.
# The schema is dropped at the end. The load generator, both nodes and PostgreSQL share this machine.
# Environment: DEVICES [100000], SEED [1], RATES ["100,5000"], SECONDS [20], RUNS [3], DURATION [15s], WARMUP [20s],
# CONCURRENCY [64], PGURL [jdbc:postgresql://127.0.0.1:5432/test], PGUSER [postgres], OUT [docs/benchmarks.md],
# NOTE (a line for the table), KEEP=1 keeps the temp directory.
# Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh

if [[ ${QUICK:-0} == 1 ]]; then
  : "${DEVICES:=5000}" "${SECONDS_EACH:=3}" "${RUNS:=1}" "${DURATION:=3s}" "${WARMUP:=1s}"
fi
DEVICES=${DEVICES:-100000} SEED=${SEED:-1} RATES=${RATES:-"100,5000"} SECONDS_EACH=${SECONDS_EACH:-${SECONDS_PER_RATE:-20}}
RUNS=${RUNS:-3} DURATION=${DURATION:-15s} CONCURRENCY=${CONCURRENCY:-64}
# 20 s: the JIT still compiles the request path for ~25 s after load begins (see radius-vs-freeradius.sh); a short
# warm-up measured B cold in its first runs (idle 30k answers/s, then 12k while A ingested, then 22k and 22k)
WARMUP=${WARMUP:-20s}
PGURL=${PGURL:-jdbc:postgresql://127.0.0.1:5432/test} PGUSER=${PGUSER:-postgres}
OUT=${OUT:-docs/benchmarks.md} JAVA_OPTS=${JAVA_OPTS:-"-Xmx1g -XX:+UseParallelGC"}
command -v psql >/dev/null || die "psql (Debian: postgresql-client) is needed to create and drop the schema"
command -v java >/dev/null || die "java 17+ is needed"

# what is measured: the tree as it is when the build starts
COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
[[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]] && COMMIT="$COMMIT + uncommitted changes"
log "building the gateway and its test classes from the current tree"
(cd "$ROOT" && mvn -B -q -pl gateway -am test-compile dependency:build-classpath -Dmdep.outputFile=/dev/stdout \
  -Dmdep.includeScope=test > "/tmp/nacgw-shared-cp.$$") || die "build failed"
CP=$ROOT/gateway/target/test-classes:$ROOT/gateway/target/classes
for m in core certs sync radius nac-api loadgen; do CP=$CP:$ROOT/$m/target/classes:$ROOT/$m/target/test-classes; done
CP=$CP:$(grep -v '^\[' "/tmp/nacgw-shared-cp.$$" | tr -d '\n'); rm -f "/tmp/nacgw-shared-cp.$$"
nacgw() { java $JAVA_OPTS -cp "$CP" io.nacgw.gateway.cli.Main "$@"; }
# common.sh's machine lines, with PostgreSQL's version instead of the packaged jar's (this runs the tree's classes)
machine() {
  machine_cpu
  echo "- Java: $(java -version 2>&1 | head -n1); PostgreSQL: $("${PSQL[@]}" -c 'SHOW server_version' 2>/dev/null); nacgw commit $COMMIT"
}

bench_start nacgw-shared
umask 077
openssl rand -hex 16 > "$TMP/secret" 2>/dev/null || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TMP/secret"
log "generating $DEVICES synthetic devices (seed $SEED)"
nacgw loadtest devices --count "$DEVICES" --seed "$SEED" --out "$TMP/devices.jsonl" >&2
port=$(free_port udp)
bench/lib/nacgw-conf.sh "$TMP/nacgw" "$port" $((port + 1)) "$TMP/secret" 100

# a schema of its own, dropped on exit (after the temp directory's cleanup)
host=${PGURL#jdbc:postgresql://}; db=${host#*/}; db=${db%%\?*}; hostport=${host%%/*}
PSQL=(psql -h "${hostport%%:*}" -p "${hostport##*:}" -U "$PGUSER" -d "$db" -v ON_ERROR_STOP=1 -qtA)
[[ $hostport == *:* ]] || PSQL=(psql -h "$hostport" -U "$PGUSER" -d "$db" -v ON_ERROR_STOP=1 -qtA)
SCHEMA=nacgw_bench_$(date +%s)_$$
"${PSQL[@]}" -c "CREATE SCHEMA $SCHEMA" || die "cannot create a schema in $PGURL as $PGUSER"
drop_schema() { "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true; bench_cleanup; }
trap drop_schema EXIT
sep='?'; [[ $PGURL == *\?* ]] && sep='&'

RESULTS=$TMP/results.tsv
log "running: rates $RATES for ${SECONDS_EACH}s each, then RADIUS on B idle / during ingest, $RUNS runs of $DURATION"
java $JAVA_OPTS -cp "$CP" io.nacgw.gateway.SharedPropagationBench "$TMP/nacgw/nacgw.yaml" "$PGURL${sep}currentSchema=$SCHEMA" \
  "$PGUSER" "$TMP/secret" "$DEVICES" "$SEED" "$RATES" "$SECONDS_EACH" "$DURATION" "$WARMUP" "$CONCURRENCY" "$RUNS" "$TMP" \
  "$RESULTS" > "$TMP/bench.out" 2> "$TMP/bench.log" || die "the benchmark failed: $(grep -vE '^\s+at ' "$TMP/bench.log" | tail -n 5)"
grep -E '^(propagation|RADIUS)' "$TMP/bench.log" >&2 || true

# ---- report -------------------------------------------------------------------------------------------------------------
med() { awk -F'\t' -v k="$1" -v m="$2" -v c="$3" '$1==k && $2==m {print $c}' "$RESULTS" | median; }
idle=$(med radius idle 4); busy=$(med radius ingest 4)
drop=$(awk -v i="$idle" -v b="$busy" 'BEGIN{ if (i > 0) printf "%.1f", 100 * (i - b) / i; else print "-" }')
{
  echo "## Shared mode: propagation between two nodes, RADIUS while the other node ingests"
  echo
  [[ -n ${NOTE:-} ]] && { echo "**Note:** $NOTE"; echo; }
  echo "Generated by \`bench/shared-propagation.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit $COMMIT (the machine's"
  echo "load is in the first line below; this benchmark itself keeps both cores busy). Two gateways A and B in one JVM on"
  echo "one PostgreSQL schema (loopback), $DEVICES devices."
  echo "Propagation: A writes changes at the given rate (what is due, every 10 ms or so, in one batch); each change is timed from A's commit"
  echo "returning to B's change event (B's index holds it: its next decision uses it); every change arrived or is"
  echo "counted missing. RADIUS: B answering MAB closed loop ($CONCURRENCY outstanding, every answer's authenticator and"
  echo "verdict checked), idle and while A ingests at the highest rate, alternating after one unrecorded warm-up run,"
  echo "median of $RUNS runs of $DURATION."
  echo
  machine
  echo
  echo "| rate asked (changes/s) | achieved | p50 ms | p99 ms | max ms | changes | missing |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '$1=="propagation" {printf "| %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7, $8}' "$RESULTS"
  echo
  echo "| B's RADIUS | answers/s (median) | wrong or missing (median) | A ingesting (changes/s) |"
  echo "|---|---:|---:|---:|"
  printf '| idle | %.0f | %s | - |\n' "$idle" "$(med radius idle 5)"
  printf '| while A ingests | %.0f | %s | %s |\n' "$busy" "$(med radius ingest 5)" "$(med radius ingest 6)"
  echo
  echo "Throughput while A ingests is **$drop% lower** than idle (target: at most 10%)."
  echo
  echo '```'
  echo "DEVICES=$DEVICES SEED=$SEED RATES=\"$RATES\" SECONDS_EACH=$SECONDS_EACH RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP CONCURRENCY=$CONCURRENCY bench/shared-propagation.sh"
  echo '```'
  echo
  echo "Every RADIUS run:"
  echo
  echo "| B's RADIUS | run | answers/s | wrong or missing | A ingesting (changes/s) |"
  echo "|---|---:|---:|---:|---:|"
  awk -F'\t' '$1=="radius" {printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6}' "$RESULTS"
} | write_section "$OUT" shared-propagation
log "wrote the shared-propagation section of $OUT"
