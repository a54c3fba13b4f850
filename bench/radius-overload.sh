#!/usr/bin/env bash
# RADIUS under overload (issue 11): how much of its capacity nacgw still answers correctly when offered 1×, 2× and 3×
# what it can serve.
#   bench/radius-overload.sh                    # full run (about 30 minutes)
#   QUICK=1 bench/radius-overload.sh            # a short smoke run of the script itself
# Steps: build nacgw from the current tree, import DEVICES synthetic devices, and give each admission setting in
# ADMISSIONS ("default" = as shipped: radius.maxQueueDelay 100 ms, no rate; "none" = radius.maxQueueDelay 0, no rate:
# nothing shed but what the kernel drops; "auto" = the default plus radius.maxRequestsPerSecond at 90% of the measured
# capacity; a number = the default plus that rate) a gateway of its own: a copy of the store, its own loopback ports and
# quota. Each gateway is started once and warmed up until its JIT is quiet (warm_up: under the quota the JIT took
# 40-50% of the server's CPU for the first 100 s of load, so a gateway measured after a fixed 20 s warm-up, or
# restarted per run, measured its own compiler). Measure the default gateway's capacity (the closed loop that answers
# most among the CONCURRENCY levels of outstanding requests, median of RUNS at that level: with few outstanding a closed
# loop measures latency, not throughput, above all under SERVER_CPU_QUOTA, where the server stalls for the rest of each
# 10 ms period; with more than the receive queue holds within radius.maxQueueDelay it measures the kernel's drops and
# the timeouts they cost), then offer an open-loop schedule of 1×, 2× and 3× that capacity (`loadtest radius --rate`)
# to each gateway, alternating the gateways within a run and rotating the multiples' order run by run. Every answer is
# checked (authenticator and verdict); "answered" counts only correct answers received before the load generator's
# retransmission timeout (TIMEOUT_MS; a NAS retransmits after 1-5 s). The server is pinned with taskset (SERVER_CPUS) and gets SERVER_CPU_QUOTA of it; the load
# generator (LOADGEN_THREADS event loops on LOADGEN_CPUS, by default both CPUs) runs at nice LOADGEN_NICE (19), so
# where it shares the server's CPU it only takes what the server leaves (CFS weight 15 against 1,024): the figures
# measure the server, not the two fighting for a core, and the generator gets the rest of the machine to offer 3×.
# The load generator's own share is reported per cell, so that a generator that falls behind measures itself no more:
# requests it actually sent per second of the window (against the offered rate), how far behind schedule (p99), the
# answers its own sockets' receive buffers dropped, and the answers the server sent (its /metrics: Access-Accepts and
# -Rejects) that the generator never read; "wrong or missing" counts only requests due in the measured window.
# Its receive side as well: how long its event loop stayed away (an answer arriving meanwhile waits unread and is
# timestamped late) and the bytes waiting unread in its sockets. A cell where the generator did not keep up (sent
# under 99% of the offered rate, p99 behind schedule or event-loop delay over GEN_LAG_MS, or answers dropped at its own
# sockets) is marked "generator-bound" in the table: it measures the generator, not the server.
# SERVER_CPU_QUOTA: the server gets that percentage of one CPU (a cgroup CPU quota, period 10 ms so a throttled
# server stalls at most a few ms), its capacity shrinks in proportion, and the rest of the machine can offer 3× of it;
# capacity and multiples are measured under the same quota, the server's code and admission are unchanged (see
# bench/README.md for what differs). Needs root and a writable cgroup cpu controller; "" or 100 = no quota.
# Environment: DEVICES [100000], SEED [1], UNKNOWN [0.1], CONCURRENCY ["128 256 512 1024"], RUNS [5], DURATION [15s], WARMUP [10s],
# WARM_STEP [15s], JIT_QUIET [10], WARMUP_MAX [300s] (each gateway's warm-up: closed loops of WARM_STEP until its JIT
# compiler threads take under JIT_QUIET% of its CPU in one, at most WARMUP_MAX),
# MULTIPLES ["1 2 3"], ADMISSIONS ["default none auto"], TIMEOUT_MS [500], SERVER_CPUS [0], LOADGEN_CPUS [0,1],
# LOADGEN_THREADS [2], LOADGEN_NICE [19],
# SERVER_CPU_QUOTA [40], GEN_LAG_MS [TIMEOUT_MS/10], OUT [docs/benchmarks.md], JAVA_OPTS (both), LOADGEN_OPTS (the
# load generator's too; default: Netty's leak detection off, whose sampled stack traces took 2% of its event loop),
# KEEP=1 keeps the temp directory, SKIP_BUILD=1 uses an existing gateway/target/nacgw.jar.
# Everything listens on 127.0.0.1 only; everything this script starts is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh

if [[ ${QUICK:-0} == 1 ]]; then
  : "${DEVICES:=10000}" "${RUNS:=1}" "${DURATION:=3s}" "${WARMUP:=1s}" "${WARM_STEP:=3s}" "${WARMUP_MAX:=3s}"
fi
DEVICES=${DEVICES:-100000} SEED=${SEED:-1} UNKNOWN=${UNKNOWN:-0.1} CONCURRENCY=${CONCURRENCY:-"128 256 512 1024"}
# WARMUP 10 s: each run's own warm-up (the load generator is a new JVM, and the receive queue is sized from 1 s
# windows); the gateway itself was warmed up once, until its JIT was quiet (WARM_STEP, JIT_QUIET, WARMUP_MAX: warm_up)
RUNS=${RUNS:-5} DURATION=${DURATION:-15s} WARMUP=${WARMUP:-10s} MULTIPLES=${MULTIPLES:-"1 2 3"}
ADMISSIONS=${ADMISSIONS:-"default none auto"} TIMEOUT_MS=${TIMEOUT_MS:-500}
SERVER_CPUS=${SERVER_CPUS:-0} LOADGEN_CPUS=${LOADGEN_CPUS:-0,1} LOADGEN_THREADS=${LOADGEN_THREADS:-2}
LOADGEN_NICE=${LOADGEN_NICE:-19}
SERVER_CPU_QUOTA=${SERVER_CPU_QUOTA-40} GEN_LAG_MS=${GEN_LAG_MS:-$(( TIMEOUT_MS / 10 ))}
WARM_STEP=${WARM_STEP:-15s} JIT_QUIET=${JIT_QUIET:-10} WARMUP_MAX=${WARMUP_MAX:-300s}
[[ $JIT_QUIET =~ ^[0-9]+$ && $(secs "$WARM_STEP") -ge 2 ]] || die "JIT_QUIET=$JIT_QUIET (a percentage) or WARM_STEP=$WARM_STEP (at least 2s) is wrong"
[[ -z $SERVER_CPU_QUOTA || $SERVER_CPU_QUOTA =~ ^[0-9]+$ && $SERVER_CPU_QUOTA -ge 1 && $SERVER_CPU_QUOTA -le 100 ]] \
  || die "SERVER_CPU_QUOTA=$SERVER_CPU_QUOTA is not a percentage of one CPU (1-100, or empty for none)"
[[ $SERVER_CPU_QUOTA == 100 ]] && SERVER_CPU_QUOTA=""
[[ $LOADGEN_THREADS =~ ^[1-9][0-9]*$ ]] || die "LOADGEN_THREADS=$LOADGEN_THREADS is not a number of threads"
[[ $LOADGEN_NICE =~ ^-?[0-9]+$ ]] || die "LOADGEN_NICE=$LOADGEN_NICE is not a nice value"
[[ $GEN_LAG_MS =~ ^[0-9]+$ ]] || die "GEN_LAG_MS=$GEN_LAG_MS is not a number of milliseconds"
OUT=${OUT:-docs/benchmarks.md} JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC"}
LOADGEN_OPTS=${LOADGEN_OPTS-"-Dio.netty.leakDetection.level=disabled"}
VLAN=100
command -v taskset >/dev/null || die "taskset (Debian package util-linux) is needed to pin the server and the load generator"
taskset -c "$SERVER_CPUS" true 2>/dev/null || die "SERVER_CPUS=$SERVER_CPUS is not a CPU list of this machine"
taskset -c "$LOADGEN_CPUS" true 2>/dev/null || die "LOADGEN_CPUS=$LOADGEN_CPUS is not a CPU list of this machine"

build_nacgw
bench_start nacgw-overload

# ---- the servers' CPU quota: a cgroup per gateway (v2 cpu.max, or v1 cpu.cfs_quota_us), removed on exit -----------
CGROUPS=()
CPU_PERIOD_US=10000
# cgroup_create NAME: a cgroup with SERVER_CPU_QUOTA; prints its path
cgroup_create() {
  local name="nacgw-overload-$$-$1" quota=$(( SERVER_CPU_QUOTA * CPU_PERIOD_US / 100 )) dir
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    grep -qw cpu /sys/fs/cgroup/cgroup.controllers || die "SERVER_CPU_QUOTA: the cgroup v2 cpu controller is not available"
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu > /sys/fs/cgroup/cgroup.subtree_control \
      || die "SERVER_CPU_QUOTA: cannot enable the cpu controller (root needed)"
    dir=/sys/fs/cgroup/$name
    mkdir "$dir" && echo "$quota $CPU_PERIOD_US" > "$dir/cpu.max" || die "SERVER_CPU_QUOTA: cannot create $dir (root needed)"
  elif [[ -d /sys/fs/cgroup/cpu ]]; then
    dir=/sys/fs/cgroup/cpu/$name
    mkdir "$dir" && echo "$CPU_PERIOD_US" > "$dir/cpu.cfs_period_us" && echo "$quota" > "$dir/cpu.cfs_quota_us" \
      || die "SERVER_CPU_QUOTA: cannot create $dir (root needed)"
  else
    die "SERVER_CPU_QUOTA: no cgroup cpu controller under /sys/fs/cgroup"
  fi
  log "gateway $1 gets $SERVER_CPU_QUOTA% of one CPU: $quota of every $CPU_PERIOD_US us ($dir)"
  echo "$dir"
}
cgroup_remove() { local d; for d in "${CGROUPS[@]}"; do [[ -d $d ]] && rmdir "$d" 2>/dev/null; done; return 0; }
trap 'bench_cleanup; cgroup_remove' EXIT
umask 077
openssl rand -hex 16 > "$TMP/secret" 2>/dev/null || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TMP/secret"
log "generating $DEVICES synthetic devices (seed $SEED)"
java $JAVA_OPTS -jar "$JAR" loadtest devices --count "$DEVICES" --seed "$SEED" --out "$TMP/devices.jsonl" >&2

import_port=$(free_port udp)
METRICS_PORT=$(free_port tcp) bench/lib/nacgw-conf.sh "$TMP/nacgw" "$import_port" $(( import_port + 1 )) "$TMP/secret" "$VLAN"
java $JAVA_OPTS -jar "$JAR" devices import --config "$TMP/nacgw/nacgw.yaml" "$TMP/devices.jsonl" > "$TMP/import.log" 2>&1 \
  || die "import failed: $(tail -n 3 "$TMP/import.log")"

# admission_rate ADMISSION: its radius.maxRequestsPerSecond ("" = none)
admission_rate() { case $1 in default|none) echo "";; auto) echo $(( CAPACITY * 9 / 10 ));; *) echo "$1";; esac; }
# One gateway per admission setting, each with its own copy of the imported store, its own ports and its own quota,
# all pinned to SERVER_CPUS: each is started and warmed up once, and the runs alternate between them (a restart per
# run measured a JIT still compiling; see warm_up). Only the gateway being measured has load; the others idle.
declare -A PORT MPORT PID CG WARMED
used_ports=" "
# new_port tcp|udp: a free port (and the next one) not handed out before in this run
new_port() {
  local p
  for _ in $(seq 50); do
    p=$(free_port "$1")
    [[ $used_ports == *" $p "* || $used_ports == *" $((p + 1)) "* ]] && continue
    used_ports+="$p $((p + 1)) "; echo "$p"; return 0
  done
  die "no unused $1 port found"
}
for a in $ADMISSIONS; do
  [[ $a =~ ^(default|none|auto|[1-9][0-9]*)$ ]] || die "ADMISSIONS: '$a' is not default, none, auto or a rate"
  PORT[$a]=$(new_port udp) MPORT[$a]=$(new_port tcp)
  mkdir -p "$TMP/nacgw-$a" && cp -a "$TMP/nacgw/." "$TMP/nacgw-$a/"
  METRICS_PORT=${MPORT[$a]} bench/lib/nacgw-conf.sh "$TMP/nacgw-$a" "${PORT[$a]}" $(( PORT[$a] + 1 )) "$TMP/secret" "$VLAN"
  if [[ -n $SERVER_CPU_QUOTA ]]; then CG[$a]=$(cgroup_create "$a"); CGROUPS+=("${CG[$a]}"); fi
done
# start_nacgw ADMISSION: its gateway on SERVER_CPUS, in its cgroup; sets PID[ADMISSION]
start_nacgw() {
  local a=$1 props=()
  case $a in
    default) ;;
    none) props=("-Dnacgw.radius.maxQueueDelay=0") ;;
    *) props=("-Dnacgw.radius.maxRequestsPerSecond=$(admission_rate "$a")") ;;
  esac
  # the JVM sizes its GC and the gateway its channels by the CPUs it may run on (availableProcessors honours taskset)
  taskset -c "$SERVER_CPUS" java $JAVA_OPTS "${props[@]}" -jar "$JAR" run --config "$TMP/nacgw-$a/nacgw.yaml" \
    > "$TMP/console-$a.log" 2>&1 &
  PID[$a]=$!; PIDS+=("${PID[$a]}")
  # the whole process (every thread, and those it starts later) into the quota before it has done any work
  [[ -z ${CG[$a]:-} ]] || echo "${PID[$a]}" > "${CG[$a]}/cgroup.procs" || die "cannot move nacgw into ${CG[$a]}"
  wait_port udp "${PORT[$a]}" "${PID[$a]}" 120 || die "nacgw did not serve RADIUS on ${PORT[$a]}: $(tail -n 3 "$TMP/console-$a.log")"
  # the port is bound a moment before the gateway has finished starting
  for _ in $(seq 1200); do grep -q '^nacgw ready' "$TMP/console-$a.log" && return 0; sleep 0.1; done
  die "nacgw did not report ready: $(tail -n 3 "$TMP/console-$a.log")"
}
# cpu_ticks PID: "jit all": CPU time (clock ticks) of the process's JIT compiler threads, and of all its threads
cpu_ticks() {
  local f line name jit=0 all=0 t
  for f in /proc/"$1"/task/*/stat; do
    line=$(cat "$f" 2>/dev/null) || continue
    name=${line#*(}; name=${name%%)*}
    read -r -a t <<< "${line##*) }"
    all=$(( all + t[11] + t[12] ))
    [[ $name == C[12]\ CompilerThre* ]] && jit=$(( jit + t[11] + t[12] ))
  done
  echo "$jit $all"
}
# server_counts ADMISSION: "answered dropped" so far, from that gateway's /metrics: Access-Accepts + Access-Rejects
# sent, and datagrams it dropped (the kernel at its receive buffers, plus its own drops by reason)
server_counts() {
  local metrics mport=${MPORT[$1]}
  metrics=$(curl -sf "http://127.0.0.1:$mport/metrics") && [[ -n $metrics ]] || die "no /metrics on 127.0.0.1:$mport"
  awk '
    /^nacgw_radius_access_accepts_total[ {]/ || /^nacgw_radius_rejects_total[ {]/ {a += $NF}
    /^nacgw_radius_receive_queue_drops_total[ {]/ || /^nacgw_radius_dropped_total[ {]/ {d += $NF}
    END {printf "%.0f %.0f\n", a, d}' <<< "$metrics"
}
# loadgen ADMISSION NAME ARGS...: one measured run against that admission's gateway; prints "throughput p99 errors
# sendRate lagP99 genDrops genReceived serverAnswered serverDropped loopDelayP99 rxQueueMaxBytes jitShare" (errors:
# requests due in the window without a correct answer; the server's counts are the differences over the whole load
# generator run, warm-up included, as is genReceived; loopDelayP99 and rxQueueMaxBytes: the generator's receive side
# over the window; jitShare: the % of the server's CPU time its JIT compiler threads took during the run).
loadgen() {
  local adm=$1 name=$2; shift 2
  local json=$TMP/$name.json budget=$(( $(secs "$DURATION") + $(secs "$WARMUP") + 120 )) before after cb ca
  read -r -a before < <(server_counts "$adm")
  read -r -a cb < <(cpu_ticks "${PID[$adm]}")
  # shellcheck disable=SC2086 # the options are several words
  timeout "$budget" nice -n "$LOADGEN_NICE" taskset -c "$LOADGEN_CPUS" java $JAVA_OPTS $LOADGEN_OPTS -jar "$JAR" loadtest radius \
    --target "127.0.0.1:${PORT[$adm]}" --secret-file "$TMP/secret" --threads "$LOADGEN_THREADS" \
    --count "$DEVICES" --seed "$SEED" --unknown "$UNKNOWN" --profile allowlist --duration "$DURATION" --warmup "$WARMUP" \
    --timeout "$TIMEOUT_MS" --retries 0 --server-pid "${PID[$adm]}" --quiet --json "$json" "$@" > "$TMP/$name.txt" 2>&1 || true
  [[ -f $json ]] || die "$name produced no report: $(tail -n 5 "$TMP/$name.txt")"
  read -r -a after < <(server_counts "$adm")
  read -r -a ca < <(cpu_ticks "${PID[$adm]}")
  echo "$(json_num "$json" throughput) $(json_num "$json" p99) $(json_num "$json" measuredFailures)" \
    "$(json_num "$json" sendRate) $(json_num "$json" lagP99Ms) $(json_num "$json" receiveDrops)" \
    "$(json_num "$json" received) $(( after[0] - before[0] )) $(( after[1] - before[1] ))" \
    "$(json_num "$json" loopDelayP99Ms) $(json_num "$json" rxQueueMaxBytes)" \
    "$(awk -v j=$(( ca[0] - cb[0] )) -v t=$(( ca[1] - cb[1] )) 'BEGIN { printf "%.1f", (t > 0 ? 100 * j / t : 0) }')"
}
# generator_verdict OFFERED SENT_RATE LAG_P99 LOOP_P99 GEN_DROPS: "ok", or "generator-bound (reasons)" when the load
# generator did not keep up, so that the cell measures the generator, not the server
generator_verdict() {
  awk -v o="$1" -v s="$2" -v lag="$3" -v loop="$4" -v d="$5" -v b="$GEN_LAG_MS" 'BEGIN {
    r = ""
    if (s < 0.99 * o) r = r sprintf("%ssent %.1f%% of due", r == "" ? "" : ", ", 100 * s / o)
    if (lag > b) r = r sprintf("%sbehind %.0f ms", r == "" ? "" : ", ", lag)
    if (loop > b) r = r sprintf("%sloop away %.0f ms", r == "" ? "" : ", ", loop)
    if (d > 0) r = r sprintf("%s%d answers dropped at its sockets", r == "" ? "" : ", ", d)
    print r == "" ? "ok" : "generator-bound (" r ")" }'
}

# warm_up ADMISSION: closed loops of WARM_STEP at the largest CONCURRENCY on the gateway just started, not measured,
# until its JIT compiler threads took under JIT_QUIET% of its CPU time during one, or WARMUP_MAX has passed. Under the
# quota the JIT compiled the request path for 100 s and more and took 40-50% of the server's CPU meanwhile (the event
# loop got 20-40%): a first run then measured a cold server at a third of its capacity, and each restart measured it
# cold again. WARMED[ADMISSION] = how the warm-up went, for the report
warm_up() {
  local a=$1 step started jit n=0 quiet=""
  step=$(secs "$WARM_STEP") started=$SECONDS
  while true; do
    n=$(( n + 1 ))
    read -r _ _ _ _ _ _ _ _ _ _ _ jit < <(DURATION="$(( step - 1 ))s" WARMUP=1s loadgen "$a" "warm-up-$a-$n" \
      --concurrency "${CONCURRENCY##* }")
    log "warming up gateway $a: $(( SECONDS - started )) s, its JIT took $jit% of its CPU in the last $step s"
    if awk -v j="$jit" -v q="$JIT_QUIET" 'BEGIN { exit !(j < q) }'; then break; fi
    if (( SECONDS - started >= $(secs "$WARMUP_MAX") )); then
      log "gateway $a: the JIT is still busy after WARMUP_MAX=$WARMUP_MAX; measuring anyway (the report says so)"
      quiet=", **not quiet: WARMUP_MAX reached**"
      break
    fi
  done
  WARMED[$a]="$a $(( SECONDS - started )) s (JIT $jit% at the end$quiet)"
}

# ---- capacity: closed loop on the default configuration -----------------------------------------------------------
start_nacgw default
warm_up default
# the closed loop that answers most: too few outstanding measure latency (above all under the quota's stalls), too
# many exceed what the receive queue holds within radius.maxQueueDelay at this capacity (1,024 outstanding of a server
# answering 7,000/s wait 146 ms: the kernel drops, the loop waits out timeouts and measured 7,118/s of a server that
# answered 13,214/s at '2x'); one run per level, then RUNS in all at the best level, median
CAP_CONCURRENCY="" best=0 caps=()
for c in $CONCURRENCY; do
  read -r tput p99 errs _ _ gdrops greceived sanswered _ loop rxmax jit < <(loadgen default "capacity-c$c" --concurrency "$c")
  log "capacity at $c outstanding: $tput correct answers/s, p99 $p99 ms, $errs wrong or missing;" \
    "server answered $sanswered, load generator received $greceived (its own buffers dropped $gdrops," \
    "its event loop away p99 $loop ms, at most $rxmax bytes unread); the server's JIT took $jit% of its CPU"
  if awk -v t="$tput" -v b="$best" 'BEGIN { exit !(t > b) }'; then CAP_CONCURRENCY=$c best=$tput; fi
done
[[ -n $CAP_CONCURRENCY ]] || die "capacity measured as 0 at every level of CONCURRENCY=\"$CONCURRENCY\""
caps+=("$best")
for r in $(seq 2 "$RUNS"); do
  read -r tput p99 errs _ _ gdrops greceived sanswered _ loop rxmax jit < <(loadgen default "capacity-$r" --concurrency "$CAP_CONCURRENCY")
  log "capacity run $r at $CAP_CONCURRENCY outstanding: $tput correct answers/s, p99 $p99 ms, $errs wrong or missing;" \
    "the server's JIT took $jit% of its CPU"
  caps+=("$tput")
done
CAPACITY=$(printf '%s\n' "${caps[@]}" | median | awk '{printf "%.0f", $1}')
[[ $CAPACITY -gt 0 ]] || die "capacity measured as 0"
log "capacity: $CAPACITY correct answers/s at $CAP_CONCURRENCY outstanding (median of $RUNS)"

# the other admission settings' gateways (auto's rate needs the capacity), each warmed up the same way
for a in $ADMISSIONS; do
  [[ -n ${PID[$a]:-} ]] && continue
  start_nacgw "$a"
  warm_up "$a"
done

# ---- overload: open loop at each multiple, alternating the admission settings ---------------------------------------
RESULTS=$TMP/results.tsv
: > "$RESULTS"
read -r -a multiples <<< "$MULTIPLES"
for r in $(seq "$RUNS"); do
  # the multiples' order rotates run by run, so that none is always measured first or last on a gateway
  order=()
  for i in "${!multiples[@]}"; do order+=("${multiples[$(( (i + r - 1) % ${#multiples[@]} ))]}"); done
  for a in $ADMISSIONS; do
    rate=$(admission_rate "$a")
    for m in "${order[@]}"; do
      offered=$(( CAPACITY * m ))
      # each source port has 256 identifiers, and a dropped request holds one for 2 x TIMEOUT_MS (the timeout, then as
      # long again before reuse, so that a late answer cannot meet a new request): enough ports, at most 192 of 256
      # identifiers busy, that the load generator never runs out of identifiers even when nothing is answered (as a NAS
      # population would not); a request that still finds none within its timeout is counted as not sent
      sources=$(( offered * 2 * TIMEOUT_MS / 1000 / 192 + 8 ))
      (( sources <= 1024 )) || die "$offered/s with TIMEOUT_MS=$TIMEOUT_MS needs $sources source ports, more than 1024"
      read -r tput p99 errs srate lag gdrops greceived sanswered sdropped loop rxmax jit \
        < <(loadgen "$a" "over-$a-$m-$r" --rate "$offered" --sources "$sources")
      share=$(awk -v t="$tput" -v c="$CAPACITY" 'BEGIN{printf "%.1f", 100 * t / c}')
      # answers the server sent that the load generator never read (its own kernel drops, or still in flight at its end)
      lost=$(( sanswered - greceived ))
      verdict=$(generator_verdict "$offered" "$srate" "$lag" "$loop" "$gdrops")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$a" "$m" "$r" "$tput" "$share" "$p99" "$errs" \
        "$srate" "$lag" "$gdrops" "$lost" "$sdropped" "$loop" "$rxmax" "$verdict" "$jit" >> "$RESULTS"
      log "admission $a (${rate:-no rate}) ${m}x = $offered/s offered, run $r: sent $srate/s (p99 $lag ms behind schedule)," \
        "$tput correct/s = $share% of capacity, p99 $p99 ms, $errs of the window's requests wrong or missing;" \
        "server answered $sanswered and dropped $sdropped, load generator read $greceived (its buffers dropped $gdrops," \
        "its event loop away p99 $loop ms, at most $rxmax bytes unread), the server's JIT took $jit% of its CPU: $verdict"
    done
  done
done

# cell_verdict ADMISSION MULTIPLE: "ok" when the generator kept up in every run of the cell, else how many it did not
cell_verdict() {
  awk -F'\t' -v a="$1" -v m="$2" '$1 == a && $2 == m { n++; if ($15 != "ok") b++ }
    END { print b == 0 ? "ok" : sprintf("**generator-bound** in %d of %d runs", b, n) }' "$RESULTS"
}
# ---- report -------------------------------------------------------------------------------------------------------------
{
  echo "## RADIUS under overload (1×, 2×, 3× capacity)"
  echo
  [[ -n ${NOTE:-} ]] && { echo "**Note:** $NOTE"; echo; }
  echo "Generated by \`bench/radius-overload.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit $COMMIT. Capacity = the closed loop that"
  echo "answered most among $CONCURRENCY outstanding MAB requests on the default configuration:"
  echo "**$CAPACITY correct answers/s** at $CAP_CONCURRENCY outstanding (median of $RUNS)."
  echo "Each admission setting has a gateway of its own (its own copy of the store, ports and quota, all on the same CPU),"
  echo "started once and warmed up with closed loops of $WARM_STEP until its JIT compiler threads took under $JIT_QUIET% of its CPU in"
  warmed=(); for a in $ADMISSIONS; do warmed+=("${WARMED[$a]}"); done
  echo "one (at most $WARMUP_MAX): $(printf '%s, ' "${warmed[@]}" | sed 's/, $//')."
  echo "A gateway that is not being measured idles. The \"JIT\" column is the share of the measured gateway's CPU its JIT"
  echo "compiler threads took during the run."
  echo "Then an open-loop schedule of 1×, 2× and 3× that rate for $DURATION after $WARMUP warm-up, median of $RUNS runs per cell,"
  echo "the gateways alternating within each run and the multiples' order rotating from run to run."
  echo "\"Answered\" counts only correct answers (authenticator and verdict checked) received within"
  echo "${TIMEOUT_MS} ms, no retransmissions; p99 is from the intended send time (coordinated-omission safe), over the answers"
  echo "received. The server is pinned to CPU $SERVER_CPUS (\`taskset\`); the load generator ($LOADGEN_THREADS event loops on CPUs"
  echo "$LOADGEN_CPUS) runs at nice $LOADGEN_NICE, so where it shares the server's CPU it takes only what the server leaves."
  if [[ -n $SERVER_CPU_QUOTA ]]; then
    echo "The server gets **$SERVER_CPU_QUOTA% of its CPU** (cgroup quota, period $(( CPU_PERIOD_US / 1000 )) ms), capacity included, so that"
    echo "the rest of the machine can offer 3× of it (bench/README.md). Admission:"
  else
    echo "No CPU quota: at 3× check the generator column. Admission:"
  fi
  echo "\`default\` = as shipped (\`radius.maxQueueDelay\` 100 ms, no rate),"
  echo " \`none\` = \`radius.maxQueueDelay\` 0 and no rate (only the kernel's receive buffer sheds), \`auto\` = the"
  echo "default plus \`radius.maxRequestsPerSecond\` at 90% of the measured capacity ($(( CAPACITY * 9 / 10 ))/s)."
  echo "The load generator's own share is checked too: \"sent\" is the requests it actually sent per second of the window (a"
  echo "generator that cannot keep its schedule measures itself), \"behind\" the p99 of actual minus intended send time,"
  echo "\"gen. drops\" the answers its own sockets' receive buffers dropped (/proc/net/udp), \"not read\" what the server"
  echo "answered (its /metrics) minus what the generator read, and \"server drops\" what the server shed (kernel receive"
  echo "queue plus its own drops). \"Wrong or missing\" counts only requests due in the measured window."
  echo "The generator's receive side: \"loop away\" is the p99 of how long its event loop stayed away from its 1 ms ticker"
  echo "(an answer arriving meanwhile waits unread and is timestamped late), \"unread\" the most bytes waiting in its sockets'"
  echo "receive buffers (/proc/net/udp rx_queue, sampled every 200 ms). \"Generator\" says whether it kept up: a run is"
  echo "**generator-bound** when it sent under 99% of the offered rate, was more than $GEN_LAG_MS ms behind schedule or away"
  echo "(p99), or its own sockets dropped answers; such a cell measures the load generator, not the server."
  echo
  machine
  echo
  echo "| admission | offered | offered req/s | sent req/s | behind ms p99 | loop away ms p99 | answered correctly req/s | % of capacity | p99 ms | wrong or missing | gen. drops | not read | server drops | JIT % | generator |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for a in $ADMISSIONS; do
    for m in $MULTIPLES; do
      verdict=$(cell_verdict "$a" "$m") share=$(col "$a" "$m" 5)
      [[ $verdict == ok ]] || share="~~${share}~~" # not the server's figure
      printf '| %s | %s× | %s | %.0f | %s | %s | %.0f | %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s |\n' "$a" "$m" "$(( CAPACITY * m ))" \
        "$(col "$a" "$m" 8)" "$(col "$a" "$m" 9)" "$(col "$a" "$m" 13)" "$(col "$a" "$m" 4)" "$share" \
        "$(col "$a" "$m" 6)" "$(col "$a" "$m" 7)" "$(col "$a" "$m" 10)" "$(col "$a" "$m" 11)" "$(col "$a" "$m" 12)" \
        "$(col "$a" "$m" 16)" "$verdict"
    done
  done
  echo
  echo '```'
  echo "DEVICES=$DEVICES SEED=$SEED UNKNOWN=$UNKNOWN CONCURRENCY=\"$CONCURRENCY\" RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP WARM_STEP=$WARM_STEP JIT_QUIET=$JIT_QUIET WARMUP_MAX=$WARMUP_MAX MULTIPLES=\"$MULTIPLES\" ADMISSIONS=\"$ADMISSIONS\" TIMEOUT_MS=$TIMEOUT_MS SERVER_CPUS=$SERVER_CPUS LOADGEN_CPUS=$LOADGEN_CPUS LOADGEN_THREADS=$LOADGEN_THREADS LOADGEN_NICE=$LOADGEN_NICE SERVER_CPU_QUOTA=\"$SERVER_CPU_QUOTA\" GEN_LAG_MS=$GEN_LAG_MS bench/radius-overload.sh"
  echo '```'
  echo
  echo "Every run:"
  echo
  echo "| admission | offered | run | sent req/s | behind ms p99 | loop away ms p99 | unread KiB max | answered correctly req/s | % of capacity | p99 ms | wrong or missing | gen. drops | not read | server drops | JIT % | generator |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  awk -F'\t' '{printf "| %s | %s× | %s | %.0f | %s | %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $8, $9, $13,
    $14 / 1024, $4, $15 == "ok" ? $5 : "~~" $5 "~~", $6, $7, $10, $11, $12, $16, $15 == "ok" ? "ok" : "**" $15 "**"}' "$RESULTS"
} | write_section "$OUT" radius-overload
log "wrote the radius-overload section of $OUT"
