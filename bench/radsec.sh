#!/usr/bin/env bash
# RadSec benchmark: nacgw's RadSec (RADIUS over TLS, 16 connections) vs nacgw's UDP on the same gateway, and vs
# radsecproxy → FreeRADIUS as the reference RadSec stack; same synthetic devices, same load generator.
#
#   bench/radsec.sh                 # small defaults (~2 min): 10,000 devices, 64 outstanding, 1 run of 10 s per server
#   CONCURRENCY="16 64 256" RUNS=3 DURATION=20s WARMUP=5s DEVICES=100000 bench/radsec.sh   # a fuller run
#
# Builds nacgw from the current tree (mvn package), starts nacgw (UDP and RadSec on one gateway), FreeRADIUS and a
# radsecproxy in front of it on free loopback ports, alternates the three within each cell, checks every answer
# (authenticators and verdict; only correct answers count) and writes its table, the command and the commit into
# docs/benchmarks.md (its own section only).
#
# Environment (defaults in brackets): DEVICES [10000], SEED [1], UNKNOWN [0.1], CONCURRENCY ["64"], CONNECTIONS [16]
# (RadSec connections; UDP uses the load generator's default source ports), RUNS [1], DURATION [10s], WARMUP [3s],
# SERVERS ["nacgw-radsec nacgw-udp radsecproxy-freeradius"], OUT [docs/benchmarks.md], JAVA_OPTS
# [-XX:+UseParallelGC], NOTE (a sentence under the title, e.g. about the machine's load), KEEP=1, SKIP_BUILD=1.
# Everything listens on 127.0.0.1 only; everything this script starts is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh

DEVICES=${DEVICES:-10000} SEED=${SEED:-1} UNKNOWN=${UNKNOWN:-0.1} CONCURRENCY=${CONCURRENCY:-64}
CONNECTIONS=${CONNECTIONS:-16} RUNS=${RUNS:-1} DURATION=${DURATION:-10s} WARMUP=${WARMUP:-3s}
SERVERS=${SERVERS:-"nacgw-radsec nacgw-udp radsecproxy-freeradius"} OUT=${OUT:-docs/benchmarks.md}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC"}
VLAN=100

# ---- prerequisites ------------------------------------------------------------------------------------------------
if [[ " $SERVERS " == *" radsecproxy-freeradius "* ]]; then
  apt_install freeradius freeradius
  command -v radsecproxy >/dev/null || [[ -x /usr/sbin/radsecproxy ]] || apt_install radsecproxy radsecproxy
fi
RADSECPROXY=$(command -v radsecproxy || echo /usr/sbin/radsecproxy)
build_nacgw
bench_start nacgw-radsec-bench

# ---- devices, secret, certificates ----------------------------------------------------------------------------------
umask 077
openssl rand -hex 16 > "$TMP/secret" 2>/dev/null || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TMP/secret"
log "generating $DEVICES synthetic devices (seed $SEED)"
java $JAVA_OPTS -jar "$JAR" loadtest devices --count "$DEVICES" --seed "$SEED" --out "$TMP/devices.jsonl" \
  --allowlist-out "$TMP/allow.txt" >&2
# one CA for all: nacgw's server certificate (also radsecproxy's) and the load generator's NAS certificate "loadgen"
mkdir -p "$TMP/nacgw"
java $JAVA_OPTS -jar "$JAR" certs init --data-dir "$TMP/nacgw" --host localhost --ip 127.0.0.1 > "$TMP/certs.log" 2>&1
printf 'bench-p12-password\n' > "$TMP/p12.pass"
java $JAVA_OPTS -jar "$JAR" certs issue --data-dir "$TMP/nacgw" --name loadgen --role nas --days 2 \
  --password-file "$TMP/p12.pass" >> "$TMP/certs.log" 2>&1 || die "certs issue failed: $(tail -n 3 "$TMP/certs.log")"
PKI=$TMP/nacgw/pki
TLS_ARGS=(--tls-cert "$PKI/clients/loadgen/loadgen-chain.pem" --tls-key "$PKI/clients/loadgen/loadgen.key"
          --tls-ca "$PKI/ca.pem")

# ---- servers --------------------------------------------------------------------------------------------------------
declare -A TARGET PID SKIP EXTRA
start_nacgw() {
  local port radsec; port=$(free_port udp); radsec=$(free_port tcp)
  RADSEC_PORT=$radsec bench/lib/nacgw-conf.sh "$TMP/nacgw" "$port" $((port + 1)) "$TMP/secret" "$VLAN"
  if ! java $JAVA_OPTS -jar "$JAR" devices import --config "$TMP/nacgw/nacgw.yaml" "$TMP/devices.jsonl" > "$TMP/nacgw/import.log" 2>&1; then
    SKIP[nacgw-udp]="config or import failed: $(tail -n 2 "$TMP/nacgw/import.log" | tr '\n' ' ')"; SKIP[nacgw-radsec]=${SKIP[nacgw-udp]}; return
  fi
  java $JAVA_OPTS -jar "$JAR" run --config "$TMP/nacgw/nacgw.yaml" > "$TMP/nacgw/console.log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  if ! wait_port tcp "$radsec" "$pid" 120; then
    SKIP[nacgw-udp]="did not start: $(tail -n 3 "$TMP/nacgw/console.log" | tr '\n' ' ')"; SKIP[nacgw-radsec]=${SKIP[nacgw-udp]}; return
  fi
  # the ports are bound before the index has loaded every device (lookups go to the store until then)
  for _ in $(seq 3000); do grep -q 'compliance index loaded' "$TMP/nacgw/console.log" && break; kill -0 "$pid" || break; sleep 0.1; done
  grep -q 'compliance index loaded' "$TMP/nacgw/console.log" || { SKIP[nacgw-udp]="index not loaded in 300 s"; SKIP[nacgw-radsec]=${SKIP[nacgw-udp]}; return; }
  TARGET[nacgw-udp]=$port TARGET[nacgw-radsec]=$radsec PID[nacgw-udp]=$pid PID[nacgw-radsec]=$pid
  log "nacgw on UDP 127.0.0.1:$port and RadSec 127.0.0.1:$radsec (pid $pid)"
}
start_reference() {
  local fr rp; fr=$(free_port udp); rp=$(free_port tcp)
  mkdir -p "$TMP/raddb" "$TMP/radsecproxy"
  bench/lib/freeradius-conf.sh "$TMP/raddb" "$fr" "$TMP/secret" "$TMP/allow.txt" "$VLAN" yes
  freeradius -f -d "$TMP/raddb" -l "$TMP/raddb/console.log" &
  local frpid=$!; PIDS+=("$frpid")
  wait_port udp "$fr" "$frpid" 60 || { SKIP[radsecproxy-freeradius]="FreeRADIUS did not start: $(tail -n 3 "$TMP/raddb/console.log" 2>/dev/null | tr '\n' ' ')"; return; }
  cat > "$TMP/radsecproxy/radsecproxy.conf" <<CONF
# Generated by nacgw bench/radsec.sh: RadSec on 127.0.0.1 in front of a FreeRADIUS on 127.0.0.1 (UDP).
ListenTLS 127.0.0.1:$rp
LogLevel 2
LogDestination file://$TMP/radsecproxy/radsecproxy.log
tls default {
    CACertificateFile $PKI/ca.pem
    CertificateFile $PKI/server.pem
    CertificateKeyFile $PKI/server.key
}
client loadgen {
    host 127.0.0.1
    type tls
    secret radsec
    CertificateNameCheck off
}
server freeradius {
    host 127.0.0.1
    port $fr
    type udp
    secret $(head -n1 "$TMP/secret")
}
realm * {
    server freeradius
}
CONF
  "$RADSECPROXY" -f -c "$TMP/radsecproxy/radsecproxy.conf" -i "$TMP/radsecproxy/pid" > "$TMP/radsecproxy/console.log" 2>&1 &
  local rppid=$!; PIDS+=("$rppid")
  wait_port tcp "$rp" "$rppid" 60 || { SKIP[radsecproxy-freeradius]="radsecproxy did not start: $(tail -n 3 "$TMP/radsecproxy/console.log" | tr '\n' ' ')"; return; }
  TARGET[radsecproxy-freeradius]=$rp PID[radsecproxy-freeradius]=$frpid
  # FreeRADIUS before 3.2.5 (Debian 12 ships 3.2.1) does not add Message-Authenticator to its answers
  local v; v=$(freeradius -v 2>/dev/null | sed -n 's/.*Version \([0-9.]*\).*/\1/p' | head -n1)
  if [[ $(printf '%s\n3.2.5\n' "$v" | sort -V | head -n1) != 3.2.5 ]]; then
    EXTRA[radsecproxy-freeradius]=--allow-reply-without-message-authenticator
  fi
  log "radsecproxy $("$RADSECPROXY" -v 2>&1 | sed -n 's/.*revision //p' | head -n1) on 127.0.0.1:$rp (pid $rppid) → FreeRADIUS $v on UDP $fr (pid $frpid)"
}
[[ " $SERVERS " == *" nacgw-"* ]] && start_nacgw
[[ " $SERVERS " == *" radsecproxy-freeradius "* ]] && start_reference
for s in $SERVERS; do [[ -n ${SKIP[$s]:-} ]] && log "skipping $s: ${SKIP[$s]}"; done

# ---- runs: alternate within each (concurrency, run) ------------------------------------------------------------------
RESULTS=$TMP/results.tsv # server conc run req/s p50 p99 p999 serverCPU% loadgenCPU% errors
: > "$RESULTS"
budget=$(( $(secs "$DURATION") + $(secs "$WARMUP") + 90 ))
# loadtest SERVER ARGS...: the load generator against SERVER with its transport's options
loadtest() {
  local s=$1; shift
  local cmd=(java $JAVA_OPTS -jar "$JAR" loadtest radius --target "127.0.0.1:${TARGET[$s]}"
             --count "$DEVICES" --seed "$SEED" --unknown "$UNKNOWN" --profile allowlist "$@" ${EXTRA[$s]:-})
  if [[ $s == nacgw-udp ]]; then
    cmd+=(--secret-file "$TMP/secret")
  else
    # RADIUS over TCP is never retransmitted on a connection; a lost answer is a timeout after 10 s
    cmd+=(--transport radsec "${TLS_ARGS[@]}" --sources "$CONNECTIONS" --retries 0 --timeout 10000)
  fi
  timeout "$budget" "${cmd[@]}"
}
# one unmeasured pass per server first (JIT, TLS session set-up, caches): not in the table
for s in $SERVERS; do
  [[ -n ${TARGET[$s]:-} ]] || continue
  loadtest "$s" --concurrency 16 --requests $(( DEVICES < 20000 ? DEVICES : 20000 )) --quiet > "$TMP/$s-prewarm.txt" 2>&1 \
    || log "$s: the unmeasured warm-up pass reported problems: $(grep -m1 'result:' "$TMP/$s-prewarm.txt" || tail -n 1 "$TMP/$s-prewarm.txt")"
done
for c in $CONCURRENCY; do
  for r in $(seq "$RUNS"); do
    for s in $SERVERS; do
      [[ -n ${TARGET[$s]:-} ]] || continue
      json=$TMP/$s-c$c-r$r.json
      status=0
      loadtest "$s" --concurrency "$c" --duration "$DURATION" --warmup "$WARMUP" --server-pid "${PID[$s]}" --quiet \
        --json "$json" > "$TMP/$s-c$c-r$r.txt" 2>&1 || status=$?
      [[ -f $json ]] || die "$s c=$c run $r produced no report (status $status): $(tail -n 5 "$TMP/$s-c$c-r$r.txt")"
      cpu=$(printf '%.0f' "$(json_num "$json" serverCpuPercentOfOneCore)")
      errs=$(( $(json_num "$json" correctnessErrors) + $(json_num "$json" availabilityErrors) ))
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%s\n' "$s" "$c" "$r" "$(json_num "$json" throughput)" \
        "$(json_num "$json" p50)" "$(json_num "$json" p99)" "$(json_num "$json" p99_9)" "$cpu" \
        "$(json_num "$json" percentOfOneCore)" "$errs" >> "$RESULTS"
      log "$s c=$c run $r: $(json_num "$json" throughput) req/s, p99 $(json_num "$json" p99) ms, server CPU $cpu%, errors $errs (exit $status)"
    done
  done
done

# ---- report -----------------------------------------------------------------------------------------------------------
{
  echo "## RadSec MAB: nacgw RadSec vs nacgw UDP vs radsecproxy → FreeRADIUS"
  echo
  [[ -n ${NOTE:-} ]] && { echo "**Note:** $NOTE"; echo; }
  echo "Generated by \`bench/radsec.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit $COMMIT. Median of $RUNS run(s) per"
  echo "cell; the three alternate within each cell. Load: closed loop with the given number of outstanding Access-Requests"
  echo "(MAB, PAP password = MAC, Message-Authenticator on), $DEVICES synthetic devices (seed $SEED),"
  echo "$(awk -v u="$UNKNOWN" 'BEGIN{print u*100}')% unknown MACs, after one unmeasured pass per server, warm-up $WARMUP then $DURATION measured; RadSec over $CONNECTIONS TLS connections"
  echo "(TLS 1.3, client certificate from nacgw's CA, role nas), UDP over the load generator's default source ports. Every"
  echo "answer is checked (authenticators and verdict) and req/s counts only correct answers; errors counts wrong or missing"
  echo "ones. Server CPU: nacgw's process, or for the reference stack FreeRADIUS's alone (radsecproxy's TLS work is not"
  echo "included); load generator CPU is its own process (100% = one core; all share the machine)."
  echo
  machine
  echo "- FreeRADIUS: $(freeradius -v 2>/dev/null | head -n1 | sed 's/^radiusd: //'); radsecproxy: $("$RADSECPROXY" -v 2>&1 | head -n1)"
  echo
  echo "| server | outstanding | req/s | p50 ms | p99 ms | p99.9 ms | server CPU % | load generator CPU % | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in $CONCURRENCY; do
    for s in $SERVERS; do
      if [[ -n ${SKIP[$s]:-} ]]; then echo "| $s | $c | not run: ${SKIP[$s]//|/\\|} | | | | | | |"; continue; fi
      printf '| %s | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "$s" "$c" "$(col "$s" "$c" 4)" "$(col "$s" "$c" 5)" \
        "$(col "$s" "$c" 6)" "$(col "$s" "$c" 7)" "$(col "$s" "$c" 8)" "$(col "$s" "$c" 9)" "$(col "$s" "$c" 10)"
    done
  done
  echo
  echo '```'
  echo "DEVICES=$DEVICES SEED=$SEED UNKNOWN=$UNKNOWN CONCURRENCY=\"$CONCURRENCY\" CONNECTIONS=$CONNECTIONS RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP bench/radsec.sh"
  echo "# RadSec cells (nacgw and radsecproxy alike):"
  echo "java $JAVA_OPTS -jar gateway/target/nacgw.jar loadtest radius --transport radsec --target 127.0.0.1:PORT \\"
  echo "  --tls-cert loadgen-chain.pem --tls-key loadgen.key --tls-ca ca.pem --sources $CONNECTIONS --retries 0 --timeout 10000 \\"
  echo "  --count $DEVICES --seed $SEED --unknown $UNKNOWN --profile allowlist --concurrency C --duration $DURATION --warmup $WARMUP --server-pid PID --json FILE"
  echo "# UDP cells: the same with --secret-file SECRET instead of the --transport/--tls options"
  echo '```'
  echo
  echo "Configs: nacgw \`bench/lib/nacgw-conf.sh\` with RADSEC_PORT; FreeRADIUS \`bench/lib/freeradius-conf.sh\`; radsecproxy"
  echo "written by the script (ListenTLS, the load generator as a tls client, FreeRADIUS as a udp server, realm \*)."
  echo
  echo "Every run:"
  echo
  echo "| server | outstanding | run | req/s | p50 ms | p99 ms | p99.9 ms | server CPU % | load generator CPU % | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}' "$RESULTS"
} | write_section "$OUT" radsec
log "wrote the radsec section of $OUT"
