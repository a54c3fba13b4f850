#!/usr/bin/env bash
# CoA: commit -> CoA at the NAS, one node on the embedded store (sqlite), one node on PostgreSQL (pg1: shared mode,
# every CoA claimed in the database) and two nodes on one PostgreSQL schema (pg2: sessions accounted at node A,
# every change committed at node B, so each CoA crosses the change log and exactly one node sends it). Runs
# io.nacgw.gateway.CoaBench (gateway test classes) in-process per mode, alternating the modes within each run;
# each run checks that every CoA arrived once (duplicates are counted and fail the script) and that every one was
# acknowledged. Writes its table between <!-- bench:coa --> markers in docs/benchmarks.md.
#   bench/coa.sh                                   # small: 10 NAS, 2,000 sessions, bulk of 500, 50 PUTs, 1 run
#   NAS=10 SESSIONS=10000 BULK=1000 PUTS=200 RUNS=3 bench/coa.sh   # issue #12's sizes
# Environment: NAS, SESSIONS, BULK, PUTS, RUNS, MODES ("sqlite pg1 pg2"), OUT (docs/benchmarks.md), NOTE (a line
# under the table), NACGW_TEST_PG_URL / NACGW_TEST_PG_USER (PostgreSQL, default 127.0.0.1:5432 db test, user
# postgres, trust), JAVA_OPTS, KEEP=1 keeps the logs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib/common.sh"
NAS=${NAS:-10}
SESSIONS=${SESSIONS:-2000}
BULK=${BULK:-500}
PUTS=${PUTS:-50}
RUNS=${RUNS:-1}
MODES=${MODES:-sqlite pg1 pg2}
OUT=${OUT:-$ROOT/docs/benchmarks.md}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
command -v curl >/dev/null || apt_install curl curl
bench_start nacgw-coa-bench

log "compiling the gateway and its test classes from the current tree (never install)"
(cd "$ROOT" && mvn -B -q -pl gateway -am test-compile dependency:build-classpath -Dmdep.outputFile="$TMP/cp.txt" \
  -Dmdep.includeScope=test) || die "build failed"
CP=$ROOT/gateway/target/test-classes:$ROOT/gateway/target/classes
for m in core certs sync radius nac-api loadgen; do CP=$CP:$ROOT/$m/target/classes:$ROOT/$m/target/test-classes; done
CP=$CP:$(cat "$TMP/cp.txt")
COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD)
[[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no) ]] || COMMIT="$COMMIT + uncommitted changes"

RESULTS=$TMP/results.tsv
: > "$RESULTS"
for run in $(seq "$RUNS"); do
  for mode in $MODES; do
    log "run $run: $mode ($NAS NAS, $SESSIONS sessions, bulk $BULK, $PUTS PUTs)"
    # shellcheck disable=SC2086
    java $JAVA_OPTS -cp "$CP" io.nacgw.gateway.CoaBench "$NAS" "$SESSIONS" "$BULK" "$PUTS" "$mode" \
      > "$TMP/$mode-$run.log" 2>&1 || { tail -n 30 "$TMP/$mode-$run.log" >&2; die "CoaBench $mode failed"; }
    line=$(grep '^RESULT ' "$TMP/$mode-$run.log" | tail -n1)
    [[ -n $line ]] || die "no RESULT line in $TMP/$mode-$run.log"
    log "$line"
    v() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    [[ $(v received) == "$(v expected)" && $(v duplicates) == 0 ]] || die "$mode: $(v received) CoA for $(v expected) changes, $(v duplicates) duplicate(s)"
    [[ $(v acked) == "$(v expected)" ]] || die "$mode: $(v acked) of $(v expected) CoA acknowledged"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" x "$run" "$(v bulkSpanMs)" "$(v bulkLastMs)" "$(v p50Ms)" \
      "$(v p99Ms)" "$(v maxMs)" "$(v duplicates)" >> "$RESULTS"
  done
done

describe() {
  case $1 in
    sqlite) echo "one node, embedded SQLite";;
    pg1) echo "one node, PostgreSQL (claims)";;
    pg2) echo "two nodes, PostgreSQL: committed on B, sent by A";;
  esac
}
{
  echo "### CoA: device change commit -> CoA at the NAS (\`bench/coa.sh\`)"
  echo
  echo "$NAS NAS stand-ins (ACK at once), $SESSIONS accounted sessions, a bulk request flipping $BULK devices, then"
  echo "$PUTS single PUTs with curl; default CoA limits (100/s and 32 outstanding per NAS). Medians of $RUNS run(s),"
  echo "modes alternated within each run; every CoA arrived exactly once and was acknowledged (checked)."
  echo
  echo "| mode | bulk: first commit -> last CoA (ms) | bulk: last commit -> last CoA (ms) | PUT p50 (ms) | PUT p99 (ms) | PUT max (ms) | duplicates |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for mode in $MODES; do
    echo "| $(describe "$mode") | $(col "$mode" x 4) | $(col "$mode" x 5) | $(col "$mode" x 6) | $(col "$mode" x 7) | $(col "$mode" x 8) | $(col "$mode" x 9) |"
  done
  echo
  echo "Command: \`NAS=$NAS SESSIONS=$SESSIONS BULK=$BULK PUTS=$PUTS RUNS=$RUNS bench/coa.sh\`; commit $COMMIT, $(date -u +%Y-%m-%d)."
  echo "- CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1), $(nproc) logical CPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); Java: $(java -version 2>&1 | head -n1)"
  [[ -z ${NOTE:-} ]] || echo "- $NOTE"
} | write_section "$OUT" coa
log "table written to $OUT"
