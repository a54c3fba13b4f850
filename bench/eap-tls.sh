#!/usr/bin/env bash
# Side-by-side 802.1X EAP-TLS benchmark: nacgw vs FreeRADIUS 3.2 (Debian, its eap module with tls-config), same
# certificates, same devices, same load generator (nacgw loadtest radius --shape eap-tls).
#
#   bench/eap-tls.sh           # default run (~5 min): 200 devices, 8 supplicants, full and resumed TLS 1.2, 3 runs
#   QUICK=1 bench/eap-tls.sh   # smoke run (~2 min): 50 devices, 4 supplicants, 5 s per run, 1 run each
#
# Builds nacgw from the current tree (mvn package), makes one PKI with openssl (an ECDSA P-256 device CA shaped like
# an Intune SCEP CA, and an ECDSA P-256 server certificate both servers present), starts both servers on free
# loopback ports, alternates them within each cell, checks every conversation (RADIUS authenticators, EAP-Success,
# MS-MPPE keys equal to the client's own derivation, VLAN 100) and writes its table, the command and the commit into
# docs/benchmarks.md (its own section only). Only correct conversations count.
#
# Environment (defaults in brackets): DEVICES [200], SEED [1], CONCURRENCY ["8"], RUNS [3], DURATION [20s],
# WARMUP [5s] (resumed runs: long enough for every device's first, full handshake), WARM_CONVERSATIONS [5000]
# (full handshakes each server gets once after its start, unmeasured: a fresh JVM needs thousands before the JIT has
# compiled the elliptic-curve code and the RADIUS/EAP request path, see docs/benchmarks.md), MODES ["full resumed"]
# (also: ticket = resumed by TLS 1.2 session ticket, --eap-tickets; FreeRADIUS's cache is by session id),
# TLS [1.2], SERVERS ["freeradius nacgw"], OUT [docs/benchmarks.md], JAVA_OPTS [-XX:+UseParallelGC],
# EAP_TLS_THREADS (nacgw's radius.eap.tls.threads) [the gateway's default], NOTE (a sentence under the title, e.g.
# the machine's load), KEEP=1 keeps the temp directory, SKIP_BUILD=1 uses an existing gateway/target/nacgw.jar.
# Everything listens on 127.0.0.1 only (loopback traffic only); everything this script starts is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh

if [[ ${QUICK:-0} == 1 ]]; then
  : "${DEVICES:=50}" "${CONCURRENCY:=4}" "${RUNS:=1}" "${DURATION:=5s}" "${WARMUP:=5s}" "${WARM_CONVERSATIONS:=5000}"
fi
WARM_CONVERSATIONS=${WARM_CONVERSATIONS:-5000}
[[ $WARM_CONVERSATIONS =~ ^[0-9]+$ ]] || die "WARM_CONVERSATIONS must be a number of conversations"

DEVICES=${DEVICES:-200} SEED=${SEED:-1} CONCURRENCY=${CONCURRENCY:-8} RUNS=${RUNS:-3} DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s} MODES=${MODES:-"full resumed"} TLS=${TLS:-1.2} SERVERS=${SERVERS:-"freeradius nacgw"}
OUT=${OUT:-docs/benchmarks.md} JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC"}
VLAN=100
[[ $TLS == 1.2 || $TLS == 1.3 ]] || die "TLS must be 1.2 or 1.3"
[[ $TLS == 1.3 && ( " $MODES " == *" resumed "* || " $MODES " == *" ticket "* ) ]] && die "resumed handshakes are measured with TLS 1.2 only (nacgw sends no TLS 1.3 tickets)"

# ---- prerequisites ------------------------------------------------------------------------------------------------
[[ " $SERVERS " == *" freeradius "* ]] && apt_install freeradius freeradius
command -v openssl >/dev/null || apt_install openssl openssl
build_nacgw
bench_start nacgw-eap-bench

# ---- PKI, devices, secret -------------------------------------------------------------------------------------------
umask 077
P=$TMP/pki; mkdir -p "$P"
openssl rand -hex 16 > "$TMP/secret"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/device-ca.key" 2>/dev/null
openssl req -x509 -new -key "$P/device-ca.key" -subj "/O=Contoso/CN=Bench Intune Issuing CA - SCEP" -days 30 \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$P/device-ca.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/server-ca.key" 2>/dev/null
openssl req -x509 -new -key "$P/server-ca.key" -subj "/CN=Bench RADIUS server CA" -days 30 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$P/server-ca.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/server.key" 2>/dev/null
openssl req -new -key "$P/server.key" -subj "/CN=radius.bench.test" -out "$P/server.csr" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:radius.bench.test\n' > "$P/server.ext"
openssl x509 -req -in "$P/server.csr" -CA "$P/server-ca.pem" -CAkey "$P/server-ca.key" -CAcreateserial -days 30 \
  -extfile "$P/server.ext" -out "$P/server.pem" 2>/dev/null
cat "$P/server.pem" "$P/server-ca.pem" > "$P/server-chain.pem"
log "generating $DEVICES compliant synthetic devices (seed $SEED)"
java $JAVA_OPTS -jar "$JAR" loadtest devices --count "$DEVICES" --seed "$SEED" --mix compliant=1 --out "$TMP/devices.jsonl" >&2

# ---- servers --------------------------------------------------------------------------------------------------------
declare -A PORT PID SKIP EXTRA
start_freeradius() {
  local port; port=$(free_port udp)
  mkdir -p "$TMP/raddb"
  bench/lib/freeradius-eap-conf.sh "$TMP/raddb" "$port" "$TMP/secret" "$P/server-chain.pem" "$P/server.key" \
    "$P/device-ca.pem" "$VLAN" "$TLS" 1000
  launch_freeradius "$TMP/raddb" "$port" || { SKIP[freeradius]=$LAUNCH_ERROR; return; }
  PORT[freeradius]=$port PID[freeradius]=$LAUNCHED
  # FreeRADIUS before 3.2.5 (Debian 12 ships 3.2.1) puts Message-Authenticator last in EAP answers
  freeradius_version
  $FR_SIGNS || EXTRA[freeradius]=--allow-reply-without-message-authenticator
  log "FreeRADIUS $FR_VERSION on 127.0.0.1:$port (pid $LAUNCHED)"
}
start_nacgw() {
  local port; port=$(free_port udp)
  EAP_CA=$P/device-ca.pem EAP_CERT=$P/server-chain.pem EAP_KEY=$P/server.key \
    bench/lib/nacgw-conf.sh "$TMP/nacgw" "$port" $((port + 1)) "$TMP/secret" "$VLAN"
  launch_nacgw "$TMP/nacgw" udp "$port" "$TMP/devices.jsonl" || { SKIP[nacgw]=$LAUNCH_ERROR; return; }
  PORT[nacgw]=$port PID[nacgw]=$LAUNCHED
  log "nacgw on 127.0.0.1:$port (pid $LAUNCHED)"
}
for s in $SERVERS; do "start_$s"; done
for s in $SERVERS; do [[ -n ${SKIP[$s]:-} ]] && log "skipping $s: ${SKIP[$s]}"; done

# ---- warm-up: every server gets the same unmeasured full handshakes once. Without it nacgw is measured cold: its
# first ~1,000 handshakes cost ~30 ms of CPU each (5 ms once the JIT has compiled the EC code), which a loaded machine
# turns into ~600 ms conversations. FreeRADIUS (C) needs none; it gets the same for symmetry. ------------------------
warm_budget=$(( WARM_CONVERSATIONS / 5 + 120 ))
for s in $SERVERS; do
  [[ -n ${PORT[$s]:-} && $WARM_CONVERSATIONS -gt 0 ]] || continue
  log "warming $s up: $WARM_CONVERSATIONS full handshakes (unmeasured)"
  status=0
  timeout "$warm_budget" java $JAVA_OPTS -jar "$JAR" loadtest radius --target "127.0.0.1:${PORT[$s]}" --secret-file "$TMP/secret" \
    --count "$DEVICES" --seed "$SEED" --mix compliant=1 --unknown 0 --profile allowlist --shape eap-tls \
    --eap-ca "$P/device-ca.pem" --eap-ca-key "$P/device-ca.key" --eap-devices "$DEVICES" --eap-tls "$TLS" \
    --concurrency 4 --requests "$WARM_CONVERSATIONS" --warmup 0s --timeout 3000 --quiet --json "$TMP/$s-warm.json" \
    ${EXTRA[$s]:-} > "$TMP/$s-warm.txt" 2>&1 || status=$?
  [[ -f $TMP/$s-warm.json ]] || die "$s warm-up produced no report (status $status): $(tail -n 5 "$TMP/$s-warm.txt")"
  log "$s warmed up: $(json_num "$TMP/$s-warm.json" answers) conversations, $(json_num "$TMP/$s-warm.json" throughput)/s (exit $status)"
done

# ---- runs: alternate servers within each (mode, concurrency, run) so drift hits both alike -------------------------
RESULTS=$TMP/results.tsv # server mode/conc run conversations/s p50 p99 p99.9 errors retransmissions load-average server-CPU-ms/conversation
: > "$RESULTS"
budget=$(( $(secs "$DURATION") + $(secs "$WARMUP") + 120 ))
for m in $MODES; do
  for c in $CONCURRENCY; do
    for r in $(seq "$RUNS"); do
      for s in $SERVERS; do
        [[ -n ${PORT[$s]:-} ]] || continue
        json=$TMP/$s-$m-c$c-r$r.json
        resume=(); [[ $m == resumed ]] && resume=(--eap-resume); [[ $m == ticket ]] && resume=(--eap-resume --eap-tickets)
        cmd=(java $JAVA_OPTS -jar "$JAR" loadtest radius --target "127.0.0.1:${PORT[$s]}" --secret-file "$TMP/secret"
             --count "$DEVICES" --seed "$SEED" --mix compliant=1 --unknown 0 --profile allowlist --shape eap-tls
             --eap-ca "$P/device-ca.pem" --eap-ca-key "$P/device-ca.key" --eap-devices "$DEVICES" --eap-tls "$TLS"
             "${resume[@]}" --concurrency "$c" --duration "$DURATION" --warmup "$WARMUP" --timeout 3000 --quiet
             --server-pid "${PID[$s]}" --json "$json" ${EXTRA[$s]:-})
        status=0
        timeout "$budget" "${cmd[@]}" > "$TMP/$s-$m-c$c-r$r.txt" 2>&1 || status=$?
        [[ -f $json ]] || die "$s $m c=$c run $r produced no report (status $status): $(tail -n 5 "$TMP/$s-$m-c$c-r$r.txt")"
        errs=$(( $(json_num "$json" correctnessErrors) + $(json_num "$json" availabilityErrors) ))
        # the server's CPU (all its threads, /proc) over the measured window, per counted conversation: unlike the
        # rate it barely moves with the machine's load, so it compares the servers on a busy machine too
        cpu_ms=$(awk -v p="$(json_num "$json" serverCpuPercentOfOneCore)" -v t="$(json_num "$json" throughput)" \
          'BEGIN { if (p == "" || t == "" || t + 0 == 0) print "-"; else printf "%.3f", p * 10 / t }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$m/$c" "$r" "$(json_num "$json" throughput)" \
          "$(json_num "$json" p50)" "$(json_num "$json" p99)" "$(json_num "$json" p99_9)" "$errs" \
          "$(json_num "$json" retransmissions)" "$(cut -d' ' -f1 /proc/loadavg)" "$cpu_ms" >> "$RESULTS"
        log "$s $m c=$c run $r: $(json_num "$json" throughput) conversations/s, p99 $(json_num "$json" p99) ms, server CPU $cpu_ms ms/conversation, errors $errs (exit $status), load $(cut -d' ' -f1 /proc/loadavg)"
      done
    done
  done
done

# ---- report: this figure's section of docs/benchmarks.md -----------------------------------------------------------
{
  echo "## 802.1X EAP-TLS: nacgw vs FreeRADIUS"
  echo
  [[ -n ${NOTE:-} ]] && { echo "**Note:** $NOTE"; echo; }
  echo "Generated by \`bench/eap-tls.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit $COMMIT. Median of $RUNS run(s) per"
  echo "cell; servers alternate within each cell. Load: closed loop, the given number of supplicants, each on its own UDP"
  echo "socket running one EAP-TLS conversation after another (TLS $TLS, ECDSA P-256 device certificates with an Intune"
  echo "SAN URI issued by one CA, an ECDSA P-256 server certificate; fragment size 1000 both ways). \`full\`: every"
  echo "conversation a full handshake; \`resumed\`: each device resumes its earlier TLS session (session-id cache), and"
  echo "only resumed conversations count (\`ticket\`: the same by TLS 1.2 session ticket, --eap-tickets). $DEVICES"
  echo "compliant devices (seed $SEED), warm-up $WARMUP then $DURATION measured."
  echo "After its start each server got $WARM_CONVERSATIONS unmeasured full handshakes (WARM_CONVERSATIONS): a fresh nacgw"
  echo "JVM spends several times its warm CPU per conversation until the JIT has compiled the elliptic-curve code and the"
  echo "RADIUS/EAP request path (after 1,000 conversations its C2 compiler was still busy with that path; see the notes"
  echo "below); FreeRADIUS (C, OpenSSL) needs no warm-up and gets the same for symmetry."
  echo "A conversation counts only when everything verified: RADIUS authenticators, EAP-Success, MS-MPPE keys equal to the"
  echo "client's own key derivation and VLAN $VLAN. FreeRADIUS accepts every valid certificate with VLAN $VLAN (it knows no"
  echo "device state); nacgw looks each device up and decides with its profile. The load generator runs on the same"
  echo "machine and does the client half of every handshake, so both servers' figures are lower than on separate hosts."
  echo "\`server CPU ms / conversation\`: the server process's CPU (all its threads, /proc, loadgen --server-pid) over the"
  echo "measured window divided by the conversations counted; it moves far less with the machine's load than the rate."
  echo
  machine
  echo "- FreeRADIUS: $(freeradius -v 2>/dev/null | head -n1 | sed 's/^radiusd: //')"
  echo
  echo "| server | handshakes / supplicants | conversations/s | p50 ms | p99 ms | p99.9 ms | server CPU ms / conversation | errors | retransmissions | load average (1 min) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for m in $MODES; do
    for c in $CONCURRENCY; do
      for s in $SERVERS; do
        if [[ -n ${SKIP[$s]:-} ]]; then echo "| $s | $m/$c | not run: ${SKIP[$s]//|/\\|} | | | | | | | |"; continue; fi
        printf '| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "$m/$c" "$(col "$s" "$m/$c" 4)" "$(col "$s" "$m/$c" 5)" \
          "$(col "$s" "$m/$c" 6)" "$(col "$s" "$m/$c" 7)" "$(col "$s" "$m/$c" 11)" "$(col "$s" "$m/$c" 8)" "$(col "$s" "$m/$c" 9)" "$(col "$s" "$m/$c" 10)"
      done
    done
  done
  echo
  echo '```'
  echo "QUICK=${QUICK:-0} DEVICES=$DEVICES SEED=$SEED CONCURRENCY=\"$CONCURRENCY\" RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP WARM_CONVERSATIONS=$WARM_CONVERSATIONS MODES=\"$MODES\" TLS=$TLS bench/eap-tls.sh"
  echo "# per cell, against each server (FreeRADIUS < 3.2.5 also gets --allow-reply-without-message-authenticator; resumed: --eap-resume; ticket: --eap-resume --eap-tickets):"
  echo "java $JAVA_OPTS -jar gateway/target/nacgw.jar loadtest radius --target 127.0.0.1:PORT --secret-file SECRET \\"
  echo "  --count $DEVICES --seed $SEED --mix compliant=1 --unknown 0 --profile allowlist --shape eap-tls --eap-ca CA.pem \\"
  echo "  --eap-ca-key CA.key --eap-devices $DEVICES --eap-tls $TLS --concurrency C --duration $DURATION --warmup $WARMUP --timeout 3000 --server-pid PID --json FILE"
  echo '```'
  echo
  echo "FreeRADIUS config: \`bench/lib/freeradius-eap-conf.sh\` (eap module, tls-config with cache enable = yes, name and"
  echo "persist_dir: FreeRADIUS 3.2 resumes only sessions in that on-disk store, its OpenSSL cache is off; the same"
  echo "certificates, VLAN in post-auth). nacgw config: \`bench/lib/nacgw-conf.sh\` with EAP_CA/EAP_CERT/EAP_KEY."
  echo
  echo "Every run:"
  echo
  echo "| server | handshakes / supplicants | run | conversations/s | p50 ms | p99 ms | p99.9 ms | server CPU ms / conversation | errors | retransmissions | load average (1 min) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $11, $8, $9, $10}' "$RESULTS"
} | write_section "$OUT" eap-tls
log "wrote the eap-tls section of $OUT"
