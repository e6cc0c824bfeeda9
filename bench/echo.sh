#!/usr/bin/env bash
# Echo benchmark: the C reference server and every Wirekit engine, each loaded by Wirekit's client
# (`wirekit bench echo`) and by the C reference client (echo_load.c), in one run on one machine, so every figure
# can be given as a ratio to the C server measured minutes apart rather than on another day.
# Writes bench/results/echo.md, the figures as echo.json and their plot (echo.png, echo.svg). Loopback only; every server is stopped by its own PID; every run is bounded.
#
# usage: bench/echo.sh [-s SECONDS] [-r ROUNDS] [-e "ENGINES"] [-o OUTPUT]
#   -s SECONDS  measured seconds per run (default 10; 2 gives a quick look in about 5 minutes)
#   -r ROUNDS   measure everything this many times, servers taking turns, and report medians (default 1;
#               3 is worth it on a busy machine, where one run can be off by a factor of two)
#   -e ENGINES  Wirekit engines to measure (default "iterative threads select async")
#   -o OUTPUT   where to write the markdown (default bench/results/echo.md)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

seconds=10
rounds=1
engines="iterative threads select async"
output=bench/results/echo.md
while getopts "s:r:e:o:" flag; do
  case $flag in
    s) seconds=$OPTARG ;;
    r) rounds=$OPTARG ;;
    e) engines=$OPTARG ;;
    o) output=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
command_line="bench/echo.sh $*"

tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
build_all "$tmp"
machine=$(machine_description)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# The standard profiles (issue 2, section 4): 32-byte messages; throughput keeps 1000 in flight per client,
# ping-pong one.
profiles=(throughput pingpong)
declare -A in_flight=([throughput]=1000 [pingpong]=1)
declare -A client_counts=([throughput]="1 100" [pingpong]="1 100 1000")
results=$tmp/results.tsv   # server profile clients client msg/s errors failed p50 p99 p999

# run_wirekit SERVER PROFILE CLIENTS PORT
run_wirekit() {
  local json=$tmp/run.json
  if timeout $(( seconds + 40 )) dotnet "$wirekit_dll" bench echo "127.0.0.1:$4" --clients "$3" \
       --messages "${in_flight[$2]}" --size 32 --seconds "$seconds" --json >"$json" 2>"$tmp/run.err"; then
    printf '%s\t%s\t%s\twirekit\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
      "$(json_number "$json" messagesPerSecond)" "$(json_number "$json" errors)" \
      "$(json_number "$json" failedConnections)" "$(json_number "$json" p50Us)" \
      "$(json_number "$json" p99Us)" "$(json_number "$json" p999Us)" >>"$results"
  else
    echo "  wirekit client failed: $(tail -n 3 "$tmp/run.err" | tr '\n' ' ')" >&2
    printf '%s\t%s\t%s\twirekit\tfail\t\t\t\t\t\n' "$1" "$2" "$3" >>"$results"
  fi
}

# run_c SERVER PROFILE CLIENTS PORT
run_c() {
  local out=$tmp/run.txt
  if timeout $(( seconds + 40 )) "$tmp/echo_load" 127.0.0.1 "$4" "$3" "${in_flight[$2]}" 32 "$seconds" >"$out" 2>&1; then
    printf '%s\t%s\t%s\tc\t%s\t%s\t0\t\t\t\n' "$1" "$2" "$3" \
      "$(grep -o 'msg_per_s=[0-9]*' "$out" | cut -d= -f2)" "$(grep -o 'errors=[0-9]*' "$out" | cut -d= -f2)" >>"$results"
  else
    echo "  echo_load failed: $(tail -n 2 "$out" | tr '\n' ' ')" >&2
    printf '%s\t%s\t%s\tc\tfail\t\t\t\t\t\n' "$1" "$2" "$3" >>"$results"
  fi
}

# Rounds outermost, so a slow drift in the machine's load spreads over every server instead of landing on one.
for round in $(seq 1 "$rounds"); do
  for server in c $engines; do
    grep -q "^$server	-	" "$results" 2>/dev/null && continue # did not start in an earlier round
    port=$(free_port)
    echo "== round $round/$rounds: $server (port $port)"
    if ! start_server "$server" "$port" "$tmp/server-$server.log"; then
      printf '%s\t-\t-\t-\tunavailable\t\t\t\t\t\n' "$server" >>"$results"
      continue
    fi
    for profile in "${profiles[@]}"; do
      for clients in ${client_counts[$profile]}; do
        if [ "$server" = iterative ] && [ "$clients" -gt 1 ]; then
          continue # serves one client at a time by design: the rest would wait in the backlog all run long
        fi
        echo "   $profile, $clients client(s)"
        run_wirekit "$server" "$profile" "$clients" "$port"
        run_c "$server" "$profile" "$clients" "$port"
      done
    done
    stop_server
  done
done

bash bench/echo-report.sh "$results" "$command_line" "$machine" "$started" "$seconds" "$rounds" "$engines" >"$output"
tsv_to_json echo "$command_line" "server profile clients client msgPerSecond errors failed p50Us p99Us p999Us" "$results" >"${output%.md}.json"
write_plot "${output%.md}.json"
echo "wrote $output, ${output%.md}.json and its plot"
