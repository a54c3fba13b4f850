#!/usr/bin/env bash
# HTTPS API benchmark: nacgw's NAC API vs nginx answering every request with a static body of the same size over TLS.
# Builds nacgw from the current tree (mvn package), starts it with the synthetic devices and nginx on free loopback
# ports, and drives both with the same `nacgw loadtest api`, alternating them within each cell. Every nacgw answer is
# checked against the synthetic truth (nginx: HTTP 200, its body is the same for every device) and req/s counts only
# correct answers. Writes its table, the command and the commit into docs/benchmarks.md (its own section only).
#
#   bench/api-loadgen-vs-nginx.sh                # 1/16/64/256 connections, 3 runs of 20 s + 5 s warm-up each
#   QUICK=1 bench/api-loadgen-vs-nginx.sh        # smoke: 10,000 devices, 1 run of 3 s + 1 s warm-up
#   MODE=json AUTH=basic bench/api-loadgen-vs-nginx.sh
#
# Environment (defaults in brackets): MODE [ise-v3] (ise-v3|ise-v2|json), AUTH [mtls] (mtls: a partner client
# certificate from `nacgw certs issue`; basic: an api.users partner with HTTP Basic), KEEPALIVE [on], DEVICES [100000],
# SEED [1], UNKNOWN [0.1], CONNECTIONS ["1 16 64 256"], RUNS [3], DURATION [20s], WARMUP [5s], BODY_BYTES [640],
# SERVERS ["nginx nacgw"], OUT [docs/benchmarks.md], JAVA_OPTS [-XX:+UseParallelGC], NOTE, KEEP=1 keeps the temp
# directory, SKIP_BUILD=1 uses an existing gateway/target/nacgw.jar. Loopback only; everything started is stopped by
# PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
if [[ ${QUICK:-0} == 1 ]]; then
  : "${DEVICES:=10000}" "${RUNS:=1}" "${DURATION:=3s}" "${WARMUP:=1s}"
fi
MODE=${MODE:-ise-v3} AUTH=${AUTH:-mtls} KEEPALIVE=${KEEPALIVE:-on} DEVICES=${DEVICES:-100000} SEED=${SEED:-1}
UNKNOWN=${UNKNOWN:-0.1} CONNECTIONS=${CONNECTIONS:-"1 16 64 256"} RUNS=${RUNS:-3} DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s} BODY_BYTES=${BODY_BYTES:-640} SERVERS=${SERVERS:-"nginx nacgw"} OUT=${OUT:-docs/benchmarks.md}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC"}
[[ $AUTH == mtls || $AUTH == basic ]] || die "AUTH must be mtls or basic, got '$AUTH'"
NAME=api-vs-nginx-$MODE-$AUTH-keepalive-$KEEPALIVE

apt_install nginx nginx
command -v openssl >/dev/null || die "openssl is needed"
build_nacgw
bench_start nacgw-bench-api
umask 077

# ---- nacgw: the same devices, the bench profile (compliant and grace allowed, the rest denied), HTTPS on a free port
declare -A URL PID ARGS SKIP
start_nacgw() {
  local dir=$TMP/nacgw api_port radius_port a
  api_port=$(free_port tcp) radius_port=$(free_port udp)
  openssl rand -hex 16 > "$TMP/secret"
  java $JAVA_OPTS -jar "$JAR" loadtest devices --count "$DEVICES" --seed "$SEED" --out "$TMP/devices.jsonl" >&2
  local hash=""
  if [[ $AUTH == basic ]]; then
    openssl rand -hex 16 > "$TMP/password"
    hash=$(NACGW_BENCH_PW=$(cat "$TMP/password") java -jar "$JAR" api hash-password --password-env NACGW_BENCH_PW)
    printf 'bench:%s\n' "$(cat "$TMP/password")" > "$TMP/basic"
  fi
  API_PORT=$api_port API_BASIC_HASH=$hash bench/lib/nacgw-conf.sh "$dir" "$radius_port" $((radius_port + 1)) "$TMP/secret" 100
  java -jar "$JAR" certs init --config "$dir/nacgw.yaml" --host localhost --ip 127.0.0.1 > "$dir/certs.log" 2>&1 \
    || { SKIP[nacgw]="certs init failed: $(tail -n 2 "$dir/certs.log" | tr '\n' ' ')"; return; }
  a="--ca $dir/pki/ca.pem"
  if [[ $AUTH == mtls ]]; then
    openssl rand -hex 16 > "$TMP/p12pass"
    java -jar "$JAR" certs issue --config "$dir/nacgw.yaml" --name bench --role partner --password-file "$TMP/p12pass" \
      >> "$dir/certs.log" 2>&1 || { SKIP[nacgw]="certs issue failed: $(tail -n 2 "$dir/certs.log" | tr '\n' ' ')"; return; }
    a="$a --client-cert $dir/pki/clients/bench/bench.pem --client-key $dir/pki/clients/bench/bench.key"
  else
    a="$a --basic-file $TMP/basic"
  fi
  launch_nacgw "$dir" tcp "$api_port" "$TMP/devices.jsonl" || { SKIP[nacgw]=$LAUNCH_ERROR; return; }
  URL[nacgw]=https://127.0.0.1:$api_port PID[nacgw]=$LAUNCHED ARGS[nacgw]="$a --profile allowlist"
  log "nacgw on https://127.0.0.1:$api_port (pid $LAUNCHED), $AUTH"
}
[[ " $SERVERS " == *" nacgw "* ]] && start_nacgw
[[ -n ${SKIP[nacgw]:-} ]] && log "skipping nacgw: ${SKIP[nacgw]}"

# ---- nginx: self-signed certificate, static answer of BODY_BYTES, TLS 1.2/1.3, keep-alive ------------------------
mkdir -p "$TMP/nginx/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/nginx/key.pem" \
  -out "$TMP/nginx/cert.pem" -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
head='<?xml version="1.0" encoding="UTF-8"?><ise_api><name>attributes</name><api_version>3</api_version><deviceList><device><macaddress>0201000000000</macaddress><attributes><register_status>true</register_status><compliance><status>true</status></compliance></attributes></device></deviceList></ise_api><!--'
tail='-->'
pad=$(( BODY_BYTES - ${#head} - ${#tail} )); (( pad < 0 )) && pad=0
body=$head$(printf '%*s' "$pad" '' | tr ' ' 'x')$tail
NGINX_PORT=$(free_port tcp)
cat > "$TMP/nginx/nginx.conf" <<CONF
# Generated by nacgw bench/api-loadgen-vs-nginx.sh: a static HTTPS answer on 127.0.0.1 only.
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/tmp/body;
    proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
    uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        ssl_certificate $TMP/nginx/cert.pem;
        ssl_certificate_key $TMP/nginx/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:SSL:10m;
        location / {
            default_type application/xml;
            return 200 '$body';
        }
    }
}
CONF
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
wait_port tcp "$NGINX_PORT" "$NGINX_PID" 20 || die "nginx did not start: $(tail -n 3 "$TMP/nginx/error.log")"
log "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') on 127.0.0.1:$NGINX_PORT (pid $NGINX_PID), body ${#body} bytes"

URL[nginx]=https://127.0.0.1:$NGINX_PORT PID[nginx]=$NGINX_PID ARGS[nginx]="--ca $TMP/nginx/cert.pem --status-only"

RESULTS=$TMP/results.tsv
: > "$RESULTS"
budget=$(( $(secs "$DURATION") + $(secs "$WARMUP") + 60 ))
ka=""; [[ $KEEPALIVE == off ]] && ka=--no-keep-alive
for c in $CONNECTIONS; do
  for r in $(seq "$RUNS"); do
    for s in $SERVERS; do
      [[ -n ${URL[$s]:-} ]] || continue
      json=$TMP/$s-c$c-r$r.json
      # shellcheck disable=SC2086
      cmd=(java $JAVA_OPTS -jar "$JAR" loadtest api --target "${URL[$s]}" --mode "$MODE" ${ARGS[$s]} $ka
           --count "$DEVICES" --seed "$SEED" --unknown "$UNKNOWN" --connections "$c" --duration "$DURATION"
           --warmup "$WARMUP" --server-pid "${PID[$s]}" --quiet --json "$json")
      status=0
      timeout "$budget" "${cmd[@]}" > "$TMP/$s-c$c-r$r.txt" 2>&1 || status=$?
      [[ -f $json ]] || die "$s c=$c run $r produced no report (status $status): $(tail -n 5 "$TMP/$s-c$c-r$r.txt")"
      record_run "$s" "$c" "$r" "$json" "$status"
    done
  done
done

# ---- report: this figure's section of docs/benchmarks.md -----------------------------------------------------------
{
  echo "## HTTPS API vs nginx: $MODE, $AUTH, keep-alive $KEEPALIVE"
  echo
  [[ -n ${NOTE:-} ]] && { echo "**Note:** $NOTE"; echo; }
  echo "Generated by \`bench/api-loadgen-vs-nginx.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit $COMMIT. Median of $RUNS run(s)"
  echo "per cell; servers alternate within each cell. Closed loop: each connection carries one request at a time (HTTP/1.1,"
  echo "keep-alive $KEEPALIVE), mode $MODE, $DEVICES devices (seed $SEED), $(awk -v u="$UNKNOWN" 'BEGIN{print u*100}')% unknown, a different device per request,"
  echo "warm-up $WARMUP then $DURATION measured. nacgw: started by the script with the same devices (\`bench/lib/nacgw-conf.sh\`),"
  echo "client authentication $AUTH, every answer checked against the synthetic truth. nginx answers every request with"
  echo "the same ${#body}-byte body over TLS 1.2/1.3 (checked for HTTP 200). req/s counts only correct answers. Server CPU"
  echo "from /proc/PID/stat over the measured window, workers included (100% = one core)."
  echo
  machine
  echo "- nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //')"
  echo
  echo "| server | connections | req/s | p50 ms | p99 ms | p99.9 ms | server CPU % | load generator CPU % | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  median_rows "$CONNECTIONS" "$SERVERS"
  echo
  echo '```'
  echo "QUICK=${QUICK:-0} MODE=$MODE AUTH=$AUTH KEEPALIVE=$KEEPALIVE DEVICES=$DEVICES SEED=$SEED UNKNOWN=$UNKNOWN CONNECTIONS=\"$CONNECTIONS\" RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP bench/api-loadgen-vs-nginx.sh"
  echo "# per cell, against each server (nginx: --status-only; nacgw: --profile allowlist and the client certificate or Basic user):"
  echo "java $JAVA_OPTS -jar gateway/target/nacgw.jar loadtest api --target URL --mode $MODE --ca CA [--status-only | --profile allowlist CREDENTIALS] \\"
  echo "  --count $DEVICES --seed $SEED --unknown $UNKNOWN --connections C --duration $DURATION --warmup $WARMUP --server-pid PID --json FILE"
  echo '```'
} | write_section "$OUT" "$NAME"
log "wrote the $NAME section of $OUT"
