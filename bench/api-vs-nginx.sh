#!/usr/bin/env bash
# Side-by-side: nacgw's HTTPS device lookup (JSON and Cisco ISE v3 XML) against the same machine's nginx serving a
# static response of the same size over TLS, with the same certificate, through wrk (keep-alive, HTTP/1.1).
#
#   bash bench/api-vs-nginx.sh [--devices N] [--duration SECONDS] [--connections C] [--runs R] [--out FILE]
#
# Loopback only; everything it starts is stopped by PID when it exits. Needs: java, nacgw.jar built
# (mvn -B -q package -DskipTests), wrk, nginx, curl, openssl (apt-get install wrk nginx-light curl openssl).
set -euo pipefail
cd "$(dirname "$0")/.."

DEVICES=100000 DURATION=10 CONNECTIONS=16 RUNS=3 OUT=docs/benchmarks-api.md
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) DEVICES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in java wrk nginx curl openssl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk nginx-light curl openssl)" >&2; exit 2; }
done
JAR=gateway/target/nacgw.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }

WORK=$(mktemp -d /tmp/nacgw-bench-api.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
API_PORT=$(free_port); METRICS_PORT=$(free_port); NGINX_PORT=$(free_port)
PASSWORD=$(openssl rand -hex 16)

echo "== $DEVICES synthetic devices"
java -jar "$JAR" loadtest devices --count "$DEVICES" --seed 7 --out "$WORK/devices.jsonl" >/dev/null
HASH=$(NACGW_BENCH_PW=$PASSWORD java -jar "$JAR" api hash-password --password-env NACGW_BENCH_PW)
cat > "$WORK/nacgw.yaml" <<EOF
dataDir: data
radius: {enabled: false}
api:
  host: 127.0.0.1
  port: $API_PORT
  users:
    - {name: bench, role: partner, passwordHash: "$HASH"}
metrics: {host: 127.0.0.1, port: $METRICS_PORT}
policy:
  profiles:
    corp-wifi:
      noncompliant: quarantine
      unknownDevice: quarantine
      unmanaged: quarantine
      remediationUrl: https://portal.manage.microsoft.com/networkaccesscontrol/index
      allow: {vlan: "100"}
      quarantine: {vlan: "999", redirectUrl: "https://portal.manage.microsoft.com/networkaccesscontrol/index"}
EOF
java -jar "$JAR" devices import "$WORK/devices.jsonl" --config "$WORK/nacgw.yaml" >/dev/null
java -Xmx2g -jar "$JAR" run --config "$WORK/nacgw.yaml" >"$WORK/nacgw.log" 2>&1 &
NACGW_PID=$!; PIDS+=("$NACGW_PID")
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$METRICS_PORT/health" && break; sleep 0.5; done

MAC=$(head -1 "$WORK/devices.jsonl" | sed 's/.*"macs":\["\([0-9a-f:]*\)".*/\1/' | tr -d ':' | tr 'a-f' 'A-F')
CA="$WORK/data/pki/ca.pem"
AUTH="Authorization: Basic $(printf 'bench:%s' "$PASSWORD" | base64 -w0)"
JSON_PATH="/api/v1/devices/lookup?mac=$MAC"
ISE_PATH="/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress&value=$MAC&filter=all"
mkdir -p "$WORK/www"
curl -sS --cacert "$CA" -H "$AUTH" "https://127.0.0.1:$API_PORT$JSON_PATH" > "$WORK/www/lookup.json"
curl -sS --cacert "$CA" -H "$AUTH" "https://127.0.0.1:$API_PORT$ISE_PATH" > "$WORK/www/ise.xml"
grep -q '"verdict"' "$WORK/www/lookup.json" || { echo "nacgw did not answer the lookup:" >&2; cat "$WORK/www/lookup.json" >&2; exit 1; }

mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  types { application/json json; application/xml xml; }
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $WORK/data/pki/server.pem;
    ssl_certificate_key $WORK/data/pki/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $WORK/www;
  }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
for _ in $(seq 1 50); do curl -s -k -o /dev/null "https://127.0.0.1:$NGINX_PORT/lookup.json" && break; sleep 0.2; done

# CPU of a server: the process and its children (nginx's workers)
cpu_ticks() { local t=0 p; for p in "$1" $(pgrep -P "$1"); do t=$(( t + $(awk '{print $14+$15}' "/proc/$p/stat") )); done; echo "$t"; }
# one wrk run: prints "req/s p50_ms p99_ms cpu%"
run_wrk() { # pid url
  local pid=$1 url=$2 t0 t1 out
  t0=$(cpu_ticks "$pid")
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$AUTH" "$url")
  t1=$(cpu_ticks "$pid")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $(( (t1 - t0) * 100 / $(getconf CLK_TCK) / DURATION ))"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v); print v } else { sub(/s/,"",v); print v*1000 } }'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== warm-up (JIT, TLS session caches)"
for url in "https://127.0.0.1:$API_PORT$JSON_PATH" "https://127.0.0.1:$API_PORT$ISE_PATH" \
           "https://127.0.0.1:$NGINX_PORT/lookup.json" "https://127.0.0.1:$NGINX_PORT/ise.xml"; do
  wrk -t1 -c"$CONNECTIONS" -d5s -H "$AUTH" "$url" >/dev/null
done

declare -A R
for target in nacgw-json nginx-json nacgw-ise nginx-ise; do R[$target]=""; done
for run in $(seq 1 "$RUNS"); do
  echo "== run $run/$RUNS"
  R[nacgw-json]+="$(run_wrk "$NACGW_PID" "https://127.0.0.1:$API_PORT$JSON_PATH")"$'\n'
  R[nginx-json]+="$(run_wrk "$NGINX_PID" "https://127.0.0.1:$NGINX_PORT/lookup.json")"$'\n'
  R[nacgw-ise]+="$(run_wrk "$NACGW_PID" "https://127.0.0.1:$API_PORT$ISE_PATH")"$'\n'
  R[nginx-ise]+="$(run_wrk "$NGINX_PID" "https://127.0.0.1:$NGINX_PORT/ise.xml")"$'\n'
done

mkdir -p "$(dirname "$OUT")"
{
  echo "# HTTPS lookup: nacgw vs nginx static file"
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "- versions: $(java -jar "$JAR" version), $(nginx -v 2>&1), $(wrk -v 2>&1 | head -1)"
  echo "- load: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency, keep-alive HTTP/1.1 over TLS (same ECDSA P-256 certificate), Basic auth header on every request; $DEVICES devices; median of $RUNS alternating runs"
  echo "- response sizes: JSON $(wc -c < "$WORK/www/lookup.json") B, ISE v3 XML $(wc -c < "$WORK/www/ise.xml") B"
  echo "- command: bash bench/api-vs-nginx.sh --devices $DEVICES --duration $DURATION --connections $CONNECTIONS --runs $RUNS"
  echo
  echo "| target | req/s | p50 ms | p99 ms | server CPU % |"
  echo "|---|---|---|---|---|"
  for target in nacgw-json nginx-json nacgw-ise nginx-ise; do
    rows=$(printf '%s' "${R[$target]}" | sed '/^$/d')
    echo "| $target | $(echo "$rows" | awk '{print $1}' | median) | $(echo "$rows" | awk '{print $2}' | median) | $(echo "$rows" | awk '{print $3}' | median) | $(echo "$rows" | awk '{print $4}' | median) |"
  done
} > "$OUT"
cat "$OUT"
