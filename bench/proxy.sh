#!/usr/bin/env bash
# Proxy overhead: what nacgw adds in front of a FreeRADIUS home server for VPN user logins (PAP, the device MAC in
# Calling-Station-Id), measured as latency p50/p99 of the same load sent to FreeRADIUS directly and to nacgw, which
# forwards each login to that FreeRADIUS (radius.upstreams) and then decides by the device's compliance.
#
#   bench/proxy.sh               # default run (~8 min): 10,000 devices, 1/16/64 outstanding, 3 runs of 10 s + 10 s warm-up
#   QUICK=1 bench/proxy.sh       # smoke run (~2 min): 2,000 devices, 1/16 outstanding, 1 run of 3 s + 5 s warm-up
#
# Builds nacgw from the current tree (mvn package), starts FreeRADIUS and nacgw on free loopback ports, alternates
# the two paths within each cell, checks every answer (authenticators and verdict; only correct answers count) and
# writes its table, the command and the commit into docs/benchmarks.md (its own section only).
#   direct: load generator → FreeRADIUS, which accepts every user with the password: expected Accept for every device
#   proxy:  load generator → nacgw → FreeRADIUS: compliant and grace devices Accept on VLAN 100, the rest Reject
#
# Environment (defaults in brackets): DEVICES [10000], SEED [1], UNKNOWN [0.1], CONCURRENCY ["1 16 64"], RUNS [3],
# DURATION [10s], WARMUP [10s] (the proxy path's code must be compiled before it is measured), OUT [docs/benchmarks.md], JAVA_OPTS (both JVMs) [-XX:+UseParallelGC], NOTE (a
# sentence put under the title, e.g. about the machine's load), KEEP=1 keeps the temp directory, SKIP_BUILD=1 uses
# an existing gateway/target/nacgw.jar. Everything listens on 127.0.0.1 only; everything started is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh

if [[ ${QUICK:-0} == 1 ]]; then
  : "${DEVICES:=2000}" "${CONCURRENCY:=1 16}" "${RUNS:=1}" "${DURATION:=3s}" "${WARMUP:=5s}"
fi
DEVICES=${DEVICES:-10000} SEED=${SEED:-1} UNKNOWN=${UNKNOWN:-0.1} CONCURRENCY=${CONCURRENCY:-"1 16 64"}
RUNS=${RUNS:-3} DURATION=${DURATION:-10s} WARMUP=${WARMUP:-10s} OUT=${OUT:-docs/benchmarks.md}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC"}
VLAN=100 PATHS="direct proxy"

apt_install freeradius freeradius
build_nacgw
bench_start nacgw-proxy-bench

umask 077
openssl rand -hex 16 > "$TMP/secret" 2>/dev/null || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TMP/secret"
SECRET=$(head -n1 "$TMP/secret")
log "generating $DEVICES synthetic devices (seed $SEED)"
java $JAVA_OPTS -jar "$JAR" loadtest devices --count "$DEVICES" --seed "$SEED" --out "$TMP/devices.jsonl" >&2

# ---- FreeRADIUS: every user with the load generator's password is accepted (Class set, no VLAN) ---------------------
FR_PORT=$(free_port udp)
mkdir -p "$TMP/raddb"
: > "$TMP/empty-allow"
bench/lib/freeradius-conf.sh "$TMP/raddb" "$FR_PORT" "$TMP/secret" "$TMP/empty-allow" "$VLAN" yes
printf 'DEFAULT\tCleartext-Password := "loadgen-password"\n\tClass := "home-server"\n' > "$TMP/raddb/mods-config/files/authorize"
launch_freeradius "$TMP/raddb" "$FR_PORT" || die "$LAUNCH_ERROR"
FR_PID=$LAUNCHED
freeradius_version
DIRECT_EXTRA=(); [[ $FR_SIGNS == true ]] || DIRECT_EXTRA=(--allow-reply-without-message-authenticator)
log "FreeRADIUS $FR_VERSION on 127.0.0.1:$FR_PORT (pid $FR_PID)"

# ---- nacgw: the benchmark policy (bench/lib/nacgw-conf.sh) with FreeRADIUS as the profile's upstream pool ----------
NACGW_PORT=$(free_port udp)
bench/lib/nacgw-conf.sh "$TMP/nacgw" "$NACGW_PORT" $((NACGW_PORT + 1)) "$TMP/secret" "$VLAN"
cat >> "$TMP/nacgw/nacgw.yaml" <<YAML
      authenticateWith: home
YAML
# radius.upstreams goes into the radius section: insert it before the clients
awk -v port="$FR_PORT" -v secret="$SECRET" -v signs="$FR_SIGNS" '
  /^  clients:$/ && !done {
    print "  upstreams:"; print "    home:"; print "      statusChecks: true"; print "      servers:"
    printf "        freeradius: {address: 127.0.0.1, authPort: %s, secret: \"%s\", requireMessageAuthenticator: %s}\n", port, secret, signs
    done = 1
  }
  { print }' "$TMP/nacgw/nacgw.yaml" > "$TMP/nacgw/nacgw.yaml.tmp" && mv "$TMP/nacgw/nacgw.yaml.tmp" "$TMP/nacgw/nacgw.yaml"
launch_nacgw "$TMP/nacgw" udp "$NACGW_PORT" "$TMP/devices.jsonl" || die "$LAUNCH_ERROR"
NACGW_PID=$LAUNCHED
log "nacgw on 127.0.0.1:$NACGW_PORT (pid $NACGW_PID), proxying to FreeRADIUS"

declare -A PORT=([direct]=$FR_PORT [proxy]=$NACGW_PORT) PID=([direct]=$FR_PID [proxy]=$NACGW_PID)
expect() {
  if [[ $1 == direct ]]; then
    echo --profile allowlist --expect-compliant accept --expect-grace accept --expect-others accept "${DIRECT_EXTRA[@]}"
  else
    echo --profile allowlist
  fi
}

# ---- runs: alternate the two paths within each (concurrency, run) --------------------------------------------------
RESULTS=$TMP/results.tsv # record_run's columns (path as the server)
: > "$RESULTS"
budget=$(( $(secs "$DURATION") + $(secs "$WARMUP") + 60 ))
for c in $CONCURRENCY; do
  for r in $(seq "$RUNS"); do
    for p in $PATHS; do
      json=$TMP/$p-c$c-r$r.json
      # shellcheck disable=SC2046 # expect prints separate options
      cmd=(java $JAVA_OPTS -jar "$JAR" loadtest radius --target "127.0.0.1:${PORT[$p]}" --secret-file "$TMP/secret"
           --count "$DEVICES" --seed "$SEED" --unknown "$UNKNOWN" --shape login $(expect "$p") --concurrency "$c"
           --duration "$DURATION" --warmup "$WARMUP" --server-pid "${PID[$p]}" --quiet --json "$json")
      status=0
      timeout "$budget" "${cmd[@]}" > "$TMP/$p-c$c-r$r.txt" 2>&1 || status=$?
      [[ -f $json ]] || die "$p c=$c run $r produced no report (status $status): $(tail -n 5 "$TMP/$p-c$c-r$r.txt")"
      record_run "$p" "$c" "$r" "$json" "$status"
    done
  done
done

# ---- report ----------------------------------------------------------------------------------------------------------
added() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.3f\n", a - b }'; }
{
  echo "## RADIUS proxy: what nacgw adds in front of FreeRADIUS"
  echo
  [[ -n ${NOTE:-} ]] && { echo "**Note:** $NOTE"; echo; }
  echo "Generated by \`bench/proxy.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit $COMMIT. Median of $RUNS run(s) per cell;"
  echo "the two paths alternate within each cell. Load: VPN user logins (\`loadtest radius --shape login\`: PAP password,"
  echo "Service-Type Framed, the device MAC in Calling-Station-Id, Message-Authenticator on), closed loop with the given"
  echo "number of outstanding requests, $DEVICES synthetic devices (seed $SEED), $(awk -v u="$UNKNOWN" 'BEGIN{print u*100}')% unknown MACs, warm-up $WARMUP then $DURATION"
  echo "measured. **direct**: the load generator talks to FreeRADIUS, which accepts every user with that password (every"
  echo "Accept expected). **proxy**: the load generator talks to nacgw, which forwards each login to the same FreeRADIUS"
  echo "(re-hiding the password, its own Proxy-State and Message-Authenticator), then answers by the device's compliance:"
  echo "compliant and grace devices Accept on VLAN $VLAN merged with FreeRADIUS's Class, the others Reject. Every answer is"
  echo "checked; req/s counts correct answers only. *added* = proxy minus direct. Server CPU is the measured server's"
  echo "process only (nacgw for the proxy path; FreeRADIUS also works in that path). The load generator, nacgw and"
  echo "FreeRADIUS share the machine."
  echo
  machine
  echo "- FreeRADIUS: $(freeradius -v 2>/dev/null | head -n1 | sed 's/^radiusd: //')"
  echo
  echo "| outstanding | direct req/s | proxy req/s | direct p50 ms | proxy p50 ms | added p50 ms | direct p99 ms | proxy p99 ms | added p99 ms | errors (direct/proxy) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in $CONCURRENCY; do
    d50=$(col direct "$c" 5) p50=$(col proxy "$c" 5) d99=$(col direct "$c" 6) p99=$(col proxy "$c" 6)
    printf '| %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s | %s/%s |\n' "$c" "$(col direct "$c" 4)" "$(col proxy "$c" 4)" \
      "$d50" "$p50" "$(added "$p50" "$d50")" "$d99" "$p99" "$(added "$p99" "$d99")" "$(col direct "$c" 10)" "$(col proxy "$c" 10)"
  done
  echo
  echo '```'
  echo "QUICK=${QUICK:-0} DEVICES=$DEVICES SEED=$SEED UNKNOWN=$UNKNOWN CONCURRENCY=\"$CONCURRENCY\" RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP bench/proxy.sh"
  echo "# per cell, against FreeRADIUS (direct) and nacgw (proxy):"
  echo "java $JAVA_OPTS -jar gateway/target/nacgw.jar loadtest radius --target 127.0.0.1:PORT --secret-file SECRET --shape login \\"
  echo "  --count $DEVICES --seed $SEED --unknown $UNKNOWN --concurrency C --duration $DURATION --warmup $WARMUP --server-pid PID --json FILE \\"
  echo "  direct: --profile allowlist --expect-compliant accept --expect-grace accept --expect-others accept ${DIRECT_EXTRA[*]}; proxy: --profile allowlist"
  echo '```'
  echo
  echo "Every run:"
  echo
  echo "| path | outstanding | run | req/s | p50 ms | p99 ms | p99.9 ms | server CPU % | load generator CPU % | errors | retransmissions |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  run_rows 11
} | write_section "$OUT" proxy
log "wrote the proxy section of $OUT"
