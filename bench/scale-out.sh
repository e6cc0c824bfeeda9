#!/usr/bin/env bash
# One room across several chat servers, at load (issue 12; results in bench/results/scale-out.md):
# `wirekit bench chat --servers` against 1 `chat serve` without a backplane, then 1, 2 and 3 nodes on Redis and on
# NATS, with each member count, at two loads: the issue's target (TARGET deliveries/s in total, so TARGET/M messages/s
# for M members) and a tenth of it (where the backplane's latency cost is judged). Per run: deliveries/s, every
# message delivered or not, send->receive p50/p99 across nodes, and the CPU of each process in its busiest second
# (utime+stime from /proc/PID/stat, sampled each second), in % of one core: a process near 100 % is the limit when it
# is single-threaded (Redis), and all of them together near 200 % means this 2-core machine is.
# Servers are started here on free loopback ports and stopped by their own PIDs; nodes are reused between the runs
# of one configuration (members leave between runs, so their names are free again).
# usage: bench/scale-out.sh [-m "MEMBERS..."] [-n "NODES..."] [-b "BACKPLANES..."] [-t SECONDS] [-s SENDERS] [-T TARGET] [-w MS] [-o OUT.tsv]
#   defaults: -m "100 1000" -n "1 2 3" -b "redis nats" -t 3 -s 10 -T 1000000; the 1-node row without a backplane
#   always runs. -w: every node's `chat serve --coalesce MS` (by default chat serve's own, 10 ms; 0 = each line sent
#   at once). WIREKIT_DLL: a built Wirekit.Cli.dll to use instead of building one; WIREKIT_BIN: the native (AOT) binary.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

members_list="100 1000"
node_counts="1 2 3"
backplanes="redis nats"
seconds=3
senders=10
target=1000000
out=""
coalesce=()
while getopts "m:n:b:t:s:T:w:o:" flag; do
  case $flag in
    m) members_list=$OPTARG ;;
    n) node_counts=$OPTARG ;;
    b) backplanes=$OPTARG ;;
    t) seconds=$OPTARG ;;
    s) senders=$OPTARG ;;
    T) target=$OPTARG ;;
    w) coalesce=(--coalesce "$OPTARG") ;;
    o) out=$OPTARG ;;
    *) echo "usage: bench/scale-out.sh [-m MEMBERS] [-n NODES] [-b BACKPLANES] [-t SECONDS] [-s SENDERS] [-T TARGET] [-w MS] [-o OUT.tsv]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
build_wirekit "$work"
cli=("${wirekit[@]}")   # dotnet Wirekit.Cli.dll, or WIREKIT_BIN: the native (AOT) binary
hz=$(getconf CLK_TCK)

# CPU ticks a process has used so far (user + system). Field 2 (comm) has no spaces for dotnet, redis-server, nats-server.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Starts the backplane server of kind $1 on a free port; sets $backplane_url and $backplane_pid. NATS with JetStream: the
# room's order is a JetStream stream's (docs/chat-protocol.md, "Scale-out").
start_backplane() {
  local port; port=$(free_port)
  case $1 in
    redis) redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis-$port.log" 2>&1 & ;;
    nats) nats-server -p "$port" -a 127.0.0.1 -js -sd "$work/nats-$port" >"$work/nats-$port.log" 2>&1 & ;;
  esac
  backplane_pid=$!
  pids+=("$backplane_pid")
  wait_listening "$port" "$backplane_pid" || die "$1 server did not start"
  backplane_url="$1://127.0.0.1:$port"
}

# Starts $1 chat nodes (on $backplane_url unless it is empty); sets $servers (HOST:PORT,...) and $node_pids.
# Rate and repeat limits off (this is load); a member may lag by 16 MiB before its node drops it.
start_nodes() {
  local count=$1 i port
  servers=""
  node_pids=()
  for i in $(seq 1 "$count"); do
    port=$(free_port)
    local backplane=()
    [ -n "$backplane_url" ] && backplane=(--backplane "$backplane_url" --node-name "n$i")
    "${cli[@]}" chat serve -p "$port" --rate-limit 0 --max-repeats 0 --queue-limit 16777216 "${coalesce[@]}" "${backplane[@]}" >"$work/node-$port.log" 2>&1 &
    node_pids+=("$!")
    pids+=("$!")
    wait_listening "$port" "$!" || die "chat node did not start: $(cat "$work/node-$port.log")"
    if [ -n "$backplane_url" ]; then
      for _ in $(seq 1 100); do grep -q "connected as node" "$work/node-$port.log" && break; sleep 0.1; done
      grep -q "connected as node" "$work/node-$port.log" || die "node n$i did not reach $backplane_url: $(cat "$work/node-$port.log")"
    fi
    servers=${servers:+$servers,}127.0.0.1:$port
  done
}

stop_all() {
  for pid in "${node_pids[@]}" ${backplane_pid:+"$backplane_pid"}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  backplane_pid=""
}

# Busiest second of each process while $1 (the bench) runs: every second, the CPU ticks of each PID given after it
# are read from /proc/PID/stat; prints, for each, the largest one-second difference in % of one core. Whole-run
# averages would mostly measure the join storm and idle drain; the busiest second is the load phase.
peak_cpu() {
  local bench=$1; shift
  local pids=("$bench" "$@") samples=$work/cpu.samples
  : >"$samples"
  while kill -0 "$bench" 2>/dev/null; do
    local row=""; for pid in "${pids[@]}"; do row="$row $(cpu_ticks "$pid" 2>/dev/null || echo -)"; done
    echo "$row" >>"$samples"
    sleep 1
  done
  awk -v hz="$hz" '{ for (i = 1; i <= NF; i++) { if (NR > 1 && $i != "-" && last[i] != "-" && $i - last[i] > peak[i]) peak[i] = $i - last[i]; last[i] = $i } }
    END { for (i = 1; i <= NF; i++) printf "%s%.0f", (i > 1 ? " " : ""), 100 * peak[i] / hz; print "" }' "$samples"
}

# One bench run on the running nodes: prints one TSV row. CPU: the busiest second (peak_cpu) of the bench client,
# the backplane server and each node (n1/n2/n3), in % of one core (this machine has 2).
run() {
  local label=$1 nodes=$2 members=$3 load=$4 rate=$5 json=$work/run.json
  "${cli[@]}" bench chat --servers "$servers" -c "$members" --senders "$(( senders < members ? senders : members ))" \
    -r "$rate" -t "$seconds" --json >"$json" 2>"$work/bench.err" &
  local bench=$! peaks
  peaks=($(peak_cpu "$bench" ${backplane_pid:+"$backplane_pid"} "${node_pids[@]}"))
  wait "$bench" || die "bench chat failed: $(cat "$work/bench.err")"
  local delivered expected lost all backplane_cpu=""
  delivered=$(json_number "$json" delivered); expected=$(json_number "$json" expected); lost=$(json_number "$json" clientsLost)
  all=$([ "$delivered" = "$expected" ] && [ "$lost" = 0 ] && echo yes || echo no)
  [ -n "$backplane_pid" ] && backplane_cpu=${peaks[1]}
  local node_cpu; node_cpu=$(IFS=/; echo "${peaks[*]:$(( ${#peaks[@]} - ${#node_pids[@]} ))}")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$nodes" "$members" "$load" "$rate" \
    "$(json_number "$json" deliveriesPerSecond)" "$delivered" "$expected" "$lost" "$all" \
    "$(json_number "$json" p50)" "$(json_number "$json" p99)" "${peaks[0]}" "$backplane_cpu" "$node_cpu"
}

# Every load of every member count on the nodes now running, after a warm-up that is not recorded: a node fresh from
# its start spends its first seconds under load compiling its hot paths (tiered JIT: a fifth of this machine's CPU
# in a profile of the first full-load run), which a server that runs for hours pays once. WIREKIT_BIN has no JIT.
run_all() {
  local label=$1 nodes=$2 members first=${members_list%% *}
  "${cli[@]}" bench chat --servers "$servers" -c "$first" --senders "$(( senders < first ? senders : first ))" \
    -r "$(( target / first ))" -t 2 >/dev/null 2>&1 || true
  for members in $members_list; do
    run "$label" "$nodes" "$members" full "$(( target / members ))"
    run "$label" "$nodes" "$members" 10% "$(( target / 10 / members ))"
  done
}

columns="backplane nodes members load rate deliveriesPerSecond delivered expected lost allDelivered p50Ms p99Ms benchCpuPeakPct backplaneCpuPeakPct nodeCpuPeakPct"
rows=$work/rows.tsv
: >"$rows"
echo "# $(machine_description); $seconds s per run, $senders senders, target $target deliveries/s${coalesce:+, ${coalesce[*]}}" >&2
echo "${columns// /$'\t'}"
backplane_url=""; backplane_pid=""
start_nodes 1
run_all none 1 | tee -a "$rows"
stop_all
for kind in $backplanes; do
  for count in $node_counts; do
    start_backplane "$kind"
    start_nodes "$count"
    run_all "$kind" "$count" | tee -a "$rows"
    stop_all
  done
done
[ -z "$out" ] || { echo "${columns// /$'\t'}"; cat "$rows"; } >"$out"
