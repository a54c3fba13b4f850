#!/usr/bin/env bash
# Side-by-side RADIUS benchmark: nacgw vs FreeRADIUS 3.2 (Debian), same synthetic devices, same load generator.
#
#   bench/radius-vs-freeradius.sh            # full run (~20 min): 100,000 devices, 1/16/64/256 outstanding, 3 runs each
#   QUICK=1 bench/radius-vs-freeradius.sh    # smoke run (~1 min): 10,000 devices, 3 s per run, 1 run each
#
# Builds nacgw from the current tree (mvn package), starts both servers on free loopback ports, alternates them within
# each cell, checks every answer (authenticators and verdict; only correct answers count as throughput) and writes
# its table, the command and the commit into docs/benchmarks.md (its own section only).
#
# Environment (defaults in brackets): DEVICES [100000], SEED [1], UNKNOWN [0.1], CONCURRENCY ["1 16 64 256"],
# RUNS [3], DURATION [20s], WARMUP [20s], SERVERS ["freeradius nacgw"], OUT [docs/benchmarks.md],
# JAVA_OPTS (for both JVMs) [-XX:+UseParallelGC], NOTE (a sentence put under the title, e.g. about the machine's
# load), KEEP=1 keeps the temp directory, SKIP_BUILD=1 uses an existing gateway/target/nacgw.jar.
# Everything listens on 127.0.0.1 only; everything this script starts is stopped by PID on exit.
#
# Why WARMUP is 20 s: nacgw and the load generator are JVMs, and both must have their request paths compiled by C2
# before measuring. With -XX:+PrintCompilation (JAVA_OPTS) in a 64-outstanding run on the 2-core VM at load average
# ~29, nacgw's C2 compiles went on for about 25 s after the load began: ~75 in the first 5 s, ~50 in each of the next
# three 5 s, then fewer than 10 per 5 s. The first cell (1 outstanding, where nacgw was 0.5x FreeRADIUS with 5 s) paid
# for them. 20 s covers that on a quiet machine with room to spare; FreeRADIUS (C) gets the same warm-up.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh

if [[ ${QUICK:-0} == 1 ]]; then
  : "${DEVICES:=10000}" "${RUNS:=1}" "${DURATION:=3s}" "${WARMUP:=1s}"
fi
DEVICES=${DEVICES:-100000} SEED=${SEED:-1} UNKNOWN=${UNKNOWN:-0.1}
CONCURRENCY=${CONCURRENCY:-"1 16 64 256"} RUNS=${RUNS:-3} DURATION=${DURATION:-20s} WARMUP=${WARMUP:-20s}
SERVERS=${SERVERS:-"freeradius nacgw"} OUT=${OUT:-docs/benchmarks.md} JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC"}
VLAN=100

# ---- prerequisites ------------------------------------------------------------------------------------------------
# the Debian package starts a system service on 1812; this benchmark uses its own instance on a free port
[[ " $SERVERS " == *" freeradius "* ]] && apt_install freeradius freeradius
build_nacgw
bench_start nacgw-bench

# ---- the device set, its allow-list and the secret ---------------------------------------------------------------
umask 077
openssl rand -hex 16 > "$TMP/secret" 2>/dev/null || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TMP/secret"
log "generating $DEVICES synthetic devices (seed $SEED)"
java $JAVA_OPTS -jar "$JAR" loadtest devices --count "$DEVICES" --seed "$SEED" --out "$TMP/devices.jsonl" \
  --allowlist-out "$TMP/allow.txt" >&2
log "$(wc -l < "$TMP/allow.txt") allowed MACs (compliant and grace devices)"

# ---- servers --------------------------------------------------------------------------------------------------------
declare -A PORT PID SKIP EXTRA
start_freeradius() {
  local port; port=$(free_port udp)
  mkdir -p "$TMP/raddb"
  bench/lib/freeradius-conf.sh "$TMP/raddb" "$port" "$TMP/secret" "$TMP/allow.txt" "$VLAN" yes
  launch_freeradius "$TMP/raddb" "$port" || { SKIP[freeradius]=$LAUNCH_ERROR; return; }
  PORT[freeradius]=$port PID[freeradius]=$LAUNCHED
  freeradius_version
  [[ $FR_SIGNS == true ]] || EXTRA[freeradius]=--allow-reply-without-message-authenticator
  log "FreeRADIUS $FR_VERSION on 127.0.0.1:$port (pid $LAUNCHED)"
}
start_nacgw() {
  local port; port=$(free_port udp)
  bench/lib/nacgw-conf.sh "$TMP/nacgw" "$port" $((port + 1)) "$TMP/secret" "$VLAN"
  launch_nacgw "$TMP/nacgw" udp "$port" "$TMP/devices.jsonl" || { SKIP[nacgw]=$LAUNCH_ERROR; return; }
  PORT[nacgw]=$port PID[nacgw]=$LAUNCHED
  log "nacgw on 127.0.0.1:$port (pid $LAUNCHED)"
}
for s in $SERVERS; do "start_$s"; done
for s in $SERVERS; do [[ -n ${SKIP[$s]:-} ]] && log "skipping $s: ${SKIP[$s]}"; done

# ---- runs: alternate servers within each (concurrency, run) so drift hits both alike ------------------------------
RESULTS=$TMP/results.tsv # record_run's columns
: > "$RESULTS"
budget=$(( $(secs "$DURATION") + $(secs "$WARMUP") + 60 ))
for c in $CONCURRENCY; do
  for r in $(seq "$RUNS"); do
    for s in $SERVERS; do
      [[ -n ${PORT[$s]:-} ]] || continue
      json=$TMP/$s-c$c-r$r.json
      cmd=(java $JAVA_OPTS -jar "$JAR" loadtest radius --target "127.0.0.1:${PORT[$s]}" --secret-file "$TMP/secret"
           --count "$DEVICES" --seed "$SEED" --unknown "$UNKNOWN" --profile allowlist --concurrency "$c"
           --duration "$DURATION" --warmup "$WARMUP" --server-pid "${PID[$s]}" --quiet --json "$json" ${EXTRA[$s]:-})
      status=0
      timeout "$budget" "${cmd[@]}" > "$TMP/$s-c$c-r$r.txt" 2>&1 || status=$?
      [[ -f $json ]] || die "$s c=$c run $r produced no report (status $status): $(tail -n 5 "$TMP/$s-c$c-r$r.txt")"
      record_run "$s" "$c" "$r" "$json" "$status"
    done
  done
done

# ---- report: this figure's section of docs/benchmarks.md -----------------------------------------------------------
{
  echo "## RADIUS MAB: nacgw vs FreeRADIUS"
  echo
  [[ -n ${NOTE:-} ]] && { echo "**Note:** $NOTE"; echo; }
  echo "Generated by \`bench/radius-vs-freeradius.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit $COMMIT. Median of $RUNS run(s)"
  echo "per cell; servers alternate within each cell. Load: closed loop with the given number of outstanding Access-Requests"
  echo "(MAB, PAP password = MAC, Message-Authenticator on), $DEVICES synthetic devices (seed $SEED), $(awk -v u="$UNKNOWN" 'BEGIN{print u*100}')% unknown MACs,"
  echo "warm-up $WARMUP then $DURATION measured. Every answer is checked (authenticators and verdict) and req/s counts only"
  echo "correct answers; the errors column counts wrong or missing answers; retransmissions (after a 1 s timeout) mean a"
  echo "request or answer was lost, usually a full socket buffer, and show up in p99.9/max. Server CPU is utime+stime of the"
  echo "server process (/proc/PID/stat) over the measured window, load generator CPU its own process CPU over the whole run"
  echo "(100% = one core; both share the machine)."
  echo
  machine
  echo "- FreeRADIUS: $(freeradius -v 2>/dev/null | head -n1 | sed 's/^radiusd: //')"
  echo
  echo "| server | outstanding | req/s | p50 ms | p99 ms | p99.9 ms | server CPU % | load generator CPU % | errors | retransmissions |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  median_rows "$CONCURRENCY" "$SERVERS" 11
  echo
  echo '```'
  echo "QUICK=${QUICK:-0} DEVICES=$DEVICES SEED=$SEED UNKNOWN=$UNKNOWN CONCURRENCY=\"$CONCURRENCY\" RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP bench/radius-vs-freeradius.sh"
  echo "# per cell, against each server (FreeRADIUS < 3.2.5 also gets --allow-reply-without-message-authenticator):"
  echo "java $JAVA_OPTS -jar gateway/target/nacgw.jar loadtest radius --target 127.0.0.1:PORT --secret-file SECRET \\"
  echo "  --count $DEVICES --seed $SEED --unknown $UNKNOWN --profile allowlist --concurrency C --duration $DURATION --warmup $WARMUP --server-pid PID --json FILE"
  echo '```'
  echo
  echo "FreeRADIUS config: \`bench/lib/freeradius-conf.sh\` (rlm_files allow-list with PAP MAB and the VLAN reply, everything else"
  echo "rejected, reject_delay 0, require_message_authenticator yes). nacgw config: \`bench/lib/nacgw-conf.sh\`."
  echo
  echo "Every run:"
  echo
  echo "| server | outstanding | run | req/s | p50 ms | p99 ms | p99.9 ms | server CPU % | load generator CPU % | errors | retransmissions |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  run_rows 11
} | write_section "$OUT" radius-vs-freeradius
log "wrote the radius-vs-freeradius section of $OUT"
