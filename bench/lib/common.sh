#!/usr/bin/env bash
# Shared by the benchmark scripts (sourced, not run): logging, temp directory and process cleanup, free
# loopback ports, building nacgw from the current tree, the commit measured, starting FreeRADIUS and nacgw and waiting
# until they serve, one row per load-generator run, medians and report tables, and writing one figure's
# table into docs/benchmarks.md between its markers. The caller sets ROOT (the repository) before sourcing.

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
secs() { local d=$1; case $d in *ms) echo $(( ${d%ms} / 1000 ));; *s) echo "${d%s}";; *m) echo $(( ${d%m} * 60 ));; *) echo "$d";; esac; }

# apt_install PACKAGE COMMAND: installs the Debian package when COMMAND is missing and stops the service it starts
apt_install() {
  command -v "$2" >/dev/null && return 0
  log "installing $1 from Debian"
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null
  $sudo systemctl stop "$1" 2>/dev/null || true
}

# bench_start PREFIX: a private temp directory ($TMP) and an exit trap that stops every PID in PIDS, then removes it
bench_start() {
  TMP=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}

# free_port tcp|udp: a port on 127.0.0.1 that nothing listens on, and the next one too (RADIUS auth + acct)
free_port() {
  local p flag=-Htln; [[ $1 == udp ]] && flag=-Huln
  for _ in $(seq 200); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! ss "$flag" 2>/dev/null | awk '{print $4}' | grep -qE ":($p|$((p + 1)))\$"; then echo "$p"; return; fi
  done
  die "no free $1 port found"
}
# wait_port tcp|udp PORT PID SECONDS: until PORT is bound; fails when PID dies first or time runs out
wait_port() {
  local flag=-Htln; [[ $1 == udp ]] && flag=-Huln
  for _ in $(seq $(( $4 * 10 ))); do
    ss "$flag" 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$2\$" && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# build_jar MODULE JAR: JAR from the current tree (`mvn package` of MODULE and what it needs, never install), unless
# SKIP_BUILD=1 and JAR exists; then COMMIT (tree_commit)
build_jar() {
  command -v java >/dev/null || die "java 17+ is needed"
  if [[ ${SKIP_BUILD:-0} == 1 && -f $2 ]]; then
    log "SKIP_BUILD=1: using the existing $2 (the commit below is the tree's, not necessarily the jar's)"
  else
    log "building $2 from the current tree"
    (cd "$ROOT" && mvn -B -q -pl "$1" -am package -DskipTests) || die "build failed"
  fi
  tree_commit
}

# build_nacgw: JAR = gateway/target/nacgw.jar from the current tree, and COMMIT = what it holds
build_nacgw() {
  command -v ss >/dev/null || die "ss (Debian package iproute2) is needed to find free ports"
  JAR=$ROOT/gateway/target/nacgw.jar
  build_jar gateway "$JAR"
}

# tree_commit: COMMIT = the tree's commit, marked when the tree has uncommitted changes or SKIP_BUILD=1 reused a jar
tree_commit() {
  COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then COMMIT="$COMMIT + uncommitted changes"; fi
  [[ ${SKIP_BUILD:-0} == 1 ]] && COMMIT="$COMMIT (SKIP_BUILD=1)"
  return 0
}

# build_bench: BENCH_JAR = bench/target/benchmarks.jar (JMH, in-process benchmarks) from the current tree, and COMMIT
build_bench() {
  BENCH_JAR=$ROOT/bench/target/benchmarks.jar
  build_jar bench "$BENCH_JAR"
}

json_num() { grep -o "\"$2\":[-0-9.e]*" "$1" | head -n1 | cut -d: -f2; }
median() { sort -g | awk '{a[NR]=$1} END{ if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
# col SERVER LEVEL FIELD: the median of one column of $RESULTS (tab-separated: server, level, run, ...)
col() { awk -F'\t' -v s="$1" -v c="$2" -v k="$3" '$1==s && $2==c {print $k}' "$RESULTS" | median; }

# write_section FILE NAME < markdown: replaces the part of FILE between <!-- bench:NAME --> and <!-- /bench:NAME -->
# (appends it when absent), so each script rewrites only its own figure
write_section() {
  local file=$1 name=$2 body
  body=$(cat)
  mkdir -p "$(dirname "$file")"
  [[ -f $file ]] || printf '# Benchmarks\n' > "$file"
  BODY=$body awk -v start="<!-- bench:$name -->" -v end="<!-- /bench:$name -->" '
    $0 == start { print; print ENVIRON["BODY"]; skip = 1; done = 1; next }
    $0 == end { skip = 0 }
    !skip { print }
    END { if (!done) { print ""; print start; print ENVIRON["BODY"]; print end } }' "$file" > "$file.tmp"
  mv "$file.tmp" "$file"
}

machine() {
  machine_cpu
  echo "- Java: $(java -version 2>&1 | head -n1); nacgw: $(java -jar "$JAR" version 2>/dev/null | head -n1), commit $COMMIT"
}

# ---- the servers under test: started in the background, their PIDs in PIDS (bench_cleanup stops them) ---------------
# launch_freeradius DIR PORT: FreeRADIUS in the foreground with DIR/radiusd.conf (bench/lib/freeradius*-conf.sh),
# console in DIR/console.log, PID in LAUNCHED; 0 once it holds UDP PORT, else 1 with the reason in LAUNCH_ERROR
launch_freeradius() {
  freeradius -f -d "$1" -l "$1/console.log" &
  LAUNCHED=$!; PIDS+=("$LAUNCHED")
  wait_port udp "$2" "$LAUNCHED" 60 && return 0
  LAUNCH_ERROR="FreeRADIUS did not start: $(tail -n 3 "$1/console.log" 2>/dev/null | tr '\n' ' ')"; return 1
}

# launch_nacgw DIR tcp|udp PORT [DEVICES_FILE]: imports DEVICES_FILE (when given) with DIR/nacgw.yaml, then `nacgw run`
# (console in DIR/console.log, PID in LAUNCHED); 0 once it holds PORT and said "nacgw ready" (store open, whole index
# loaded: measuring starts on a warm index), else 1 with the reason in LAUNCH_ERROR
launch_nacgw() {
  local dir=$1 proto=$2 port=$3 devices=${4:-}
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  if [[ -n $devices ]] && ! java ${JAVA_OPTS:-} -jar "$JAR" devices import --config "$dir/nacgw.yaml" "$devices" \
      > "$dir/import.log" 2>&1; then
    LAUNCH_ERROR="config or import failed: $(tail -n 2 "$dir/import.log" | tr '\n' ' ')"; return 1
  fi
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$JAR" run --config "$dir/nacgw.yaml" > "$dir/console.log" 2>&1 &
  LAUNCHED=$!; PIDS+=("$LAUNCHED")
  if ! wait_port "$proto" "$port" "$LAUNCHED" 120; then
    LAUNCH_ERROR="nacgw did not serve $proto port $port: $(tail -n 3 "$dir/console.log" | tr '\n' ' ')"; return 1
  fi
  for _ in $(seq 3000); do
    grep -q '^nacgw ready' "$dir/console.log" && return 0
    kill -0 "$LAUNCHED" 2>/dev/null || break
    sleep 0.1
  done
  LAUNCH_ERROR="nacgw did not report ready: $(tail -n 3 "$dir/console.log" | tr '\n' ' ')"; return 1
}

# freeradius_version: FR_VERSION (e.g. 3.2.1), and FR_SIGNS=true when it adds Message-Authenticator to its answers
# (3.2.5 and later; Debian 12 ships 3.2.1, which does not), else false
freeradius_version() {
  FR_VERSION=$(freeradius -v 2>/dev/null | sed -n 's/.*Version \([0-9.]*\).*/\1/p' | head -n1)
  FR_SIGNS=false
  [[ $(printf '%s\n3.2.5\n' "$FR_VERSION" | sort -V | head -n1) == 3.2.5 ]] && FR_SIGNS=true
  return 0
}

# ---- one row per load-generator run, the tables of a report -----------------------------------------------------------
# record_run SERVER LEVEL RUN JSON STATUS: appends the load generator's --json report to $RESULTS (tab-separated:
# server, level, run, req/s, p50, p99, p99.9, server CPU %, load generator CPU %, errors, retransmissions) and logs it
record_run() {
  local json=$4 errs cpu
  errs=$(( $(json_num "$json" correctnessErrors) + $(json_num "$json" availabilityErrors) ))
  # the load generator samples /proc/PID/stat (utime+stime) when measuring starts and when it stops
  cpu=$(printf '%.0f' "$(json_num "$json" serverCpuPercentOfOneCore)")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%s\t%s\n' "$1" "$2" "$3" "$(json_num "$json" throughput)" \
    "$(json_num "$json" p50)" "$(json_num "$json" p99)" "$(json_num "$json" p99_9)" "$cpu" \
    "$(json_num "$json" percentOfOneCore)" "$errs" "$(json_num "$json" retransmissions)" >> "$RESULTS"
  log "$1 c=$2 run $3: $(json_num "$json" throughput) req/s, p99 $(json_num "$json" p99) ms, server CPU $cpu%, errors $errs (exit $5)"
}

# median_rows LEVELS SERVERS [LAST_COLUMN]: a markdown row per level and server with the medians of $RESULTS columns
# 4 to LAST_COLUMN (default 10: without retransmissions); "not run" and the reason for a server in the caller's
# associative array SKIP
median_rows() {
  local last=${3:-10} c s k row
  for c in $1; do
    for s in $2; do
      if [[ -n ${SKIP[$s]:-} ]]; then
        row="| $s | $c | not run: ${SKIP[$s]//|/\\|} |"
        for k in $(seq 5 "$last"); do row+=" |"; done
        echo "$row"; continue
      fi
      row=$(printf '| %s | %s | %.0f |' "$s" "$c" "$(col "$s" "$c" 4)")
      for k in $(seq 5 "$last"); do row+=" $(col "$s" "$c" "$k") |"; done
      echo "$row"
    done
  done
}

# run_rows [LAST_COLUMN]: a markdown row per line of $RESULTS (columns 1 to LAST_COLUMN, default 10)
run_rows() {
  awk -F'\t' -v last="${1:-10}" '{ row = sprintf("| %s | %s | %s | %.0f |", $1, $2, $3, $4)
    for (k = 5; k <= last; k++) row = row " " $k " |"; print row }' "$RESULTS"
}

# ---- FreeRADIUS configurations (bench/lib/freeradius*-conf.sh) -----------------------------------------------------------
# freeradius_secret SCRIPT FILE: the shared secret on FILE's first line (never echoed); exits when it is empty or holds
# a quote or backslash, which radiusd.conf cannot carry
freeradius_secret() {
  local secret; secret=$(head -n1 "$2")
  [[ -n $secret && $secret != *'"'* && $secret != *'\'* ]] || { echo "$1: secret empty or contains quotes/backslashes" >&2; exit 2; }
  printf '%s' "$secret"
}

# freeradius_preamble DIR SECRET REQUIRE_MA WHAT: the start of a private radiusd.conf shared by every benchmark server:
# paths inside DIR (with run/, log/ and an empty local dictionary created), file logging, the security section
# (reject_delay 0, Status-Server on), a thread pool sized for load, and the load generator as client 127.0.0.1 with
# SECRET and require_message_authenticator REQUIRE_MA; WHAT names the server in the generated file's first line
freeradius_preamble() {
  local dir=$1 secret=$2 require_ma=$3
  mkdir -p "$dir/run" "$dir/log"
  : > "$dir/dictionary"   # no local dictionary entries; the distribution's dictionary is loaded from dictdir
  cat <<CONF
# Generated by nacgw bench/lib/$(basename "$0"): $4 on 127.0.0.1 only.
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $dir/log
raddbdir = $dir
radacctdir = $dir/log
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
run_dir = $dir/run
db_dir = $dir
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/freeradius.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 1048576
hostname_lookups = no
log {
	destination = files
	file = \${logdir}/radius.log
	auth = no
}
checkrad = /usr/sbin/checkrad
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}
thread pool {
	start_servers = 8
	max_servers = 64
	min_spare_servers = 4
	max_spare_servers = 32
	max_queue_size = 65536
	max_requests_per_server = 0
	auto_limit_acct = no
}
client loadgen {
	ipaddr = 127.0.0.1
	secret = "$secret"
	require_message_authenticator = $require_ma
	nas_type = other
}
CONF
}

# machine_cpu: the machine line of machine (CPU, memory, kernel, load average now), for scripts that measure no nacgw.jar
machine_cpu() {
  echo "- CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1), $(nproc) logical CPUs; memory $(free -g 2>/dev/null | awk '/^Mem:/{print $2 " GiB"}'); kernel $(uname -r); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
