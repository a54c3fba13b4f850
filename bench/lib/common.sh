#!/usr/bin/env bash
# Shared by the side-by-side benchmark scripts (sourced, not run): logging, temp directory and process cleanup, free
# loopback ports, building nacgw from the current tree, the commit measured, medians, and writing one figure's
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

# build_nacgw: gateway/target/nacgw.jar from the current tree (package, never install), and COMMIT = what it holds
build_nacgw() {
  command -v java >/dev/null || die "java 17+ is needed"
  command -v ss >/dev/null || die "ss (Debian package iproute2) is needed to find free ports"
  JAR=$ROOT/gateway/target/nacgw.jar
  if [[ ${SKIP_BUILD:-0} == 1 && -f $JAR ]]; then
    log "SKIP_BUILD=1: using the existing $JAR (the commit below is the tree's, not necessarily the jar's)"
  else
    log "building $JAR from the current tree"
    (cd "$ROOT" && mvn -B -q -pl gateway -am package -DskipTests) || die "build failed"
  fi
  COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then COMMIT="$COMMIT + uncommitted changes"; fi
  [[ ${SKIP_BUILD:-0} == 1 ]] && COMMIT="$COMMIT (SKIP_BUILD=1)"
  return 0
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
# machine_cpu: the machine line of machine (CPU, memory, kernel, load average now), for scripts that measure no nacgw.jar
machine_cpu() {
  echo "- CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1), $(nproc) logical CPUs; memory $(free -g 2>/dev/null | awk '/^Mem:/{print $2 " GiB"}'); kernel $(uname -r); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
