#!/usr/bin/env bash
# Proxy benchmark (issue 13 §1): `wirekit bench echo` against Wirekit's echo server directly, through
# `wirekit proxy` (no faults) and through Debian's socat as a plain forwarder (TCP-LISTEN:..,fork TCP:..), in one
# run, the three taking turns per profile, so the proxy's figure is a ratio to socat measured seconds apart.
# Target: proxy >= 0.8 x socat. Writes bench/results/proxy.md, proxy.json and its plot. Loopback only; every process is stopped by its
# own PID; every run is bounded.
#
# usage: bench/proxy.sh [-s SECONDS] [-r ROUNDS] [-o OUTPUT]
#   -s SECONDS  measured seconds per run (default 5)
#   -r ROUNDS   measure everything this many times and report medians (default 1)
#   -o OUTPUT   where to write the markdown (default bench/results/proxy.md)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

seconds=5
rounds=1
output=bench/results/proxy.md
while getopts "s:r:o:" flag; do
  case $flag in
    s) seconds=$OPTARG ;;
    r) rounds=$OPTARG ;;
    o) output=$OPTARG ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
command_line="bench/proxy.sh $*"
command -v socat >/dev/null || die "socat not found (apt-get install socat)"

tmp=$(mktemp -d)
pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_all; rm -rf "$tmp"' EXIT

build_wirekit "$tmp"
machine=$(machine_description)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# started_on PORT: waits until something listens on PORT (30 s at most).
started_on() {
  for _ in $(seq 1 300); do ss -Hltn "sport = :$1" | grep -q . && return 0; sleep 0.1; done
  die "nothing listens on $1"
}

echo_port=$(free_port)
dotnet "$wirekit_dll" echo serve --engine async --port "$echo_port" --nodelay -q >"$tmp/echo.log" 2>&1 &
pids+=($!)
started_on "$echo_port"
proxy_port=$(free_port)
dotnet "$wirekit_dll" proxy --listen "127.0.0.1:$proxy_port" --target "127.0.0.1:$echo_port" -q </dev/null >"$tmp/proxy.log" 2>&1 &
pids+=($!)
started_on "$proxy_port"
socat_port=$(free_port)
# nodelay both ways, as the proxy sets it: small echoes must not wait for Nagle on either hop.
socat "TCP-LISTEN:$socat_port,bind=127.0.0.1,fork,reuseaddr,nodelay" "TCP:127.0.0.1:$echo_port,nodelay" 2>"$tmp/socat.log" &
pids+=($!)
started_on "$socat_port"

# profile name, clients, messages in flight, message size
profiles=("throughput 1 1000 32" "throughput 10 1000 32" "pingpong 1 1 32" "pingpong 10 1 32" "bulk 1 64 16384")
results=$tmp/results.tsv   # round profile clients messages size path msg/s MiB/s p50 p99 errors
for round in $(seq 1 "$rounds"); do
  for profile in "${profiles[@]}"; do
    read -r name clients messages size <<<"$profile"
    for path in direct:$echo_port proxy:$proxy_port socat:$socat_port; do
      label=${path%%:*}
      port=${path##*:}
      json=$tmp/run.json
      if timeout $(( seconds + 40 )) dotnet "$wirekit_dll" bench echo "127.0.0.1:$port" --clients "$clients" --messages "$messages" \
           --size "$size" --seconds "$seconds" --json >"$json" 2>"$tmp/run.err"; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$clients" "$messages" "$size" "$label" \
          "$(json_number "$json" messagesPerSecond)" "$(json_number "$json" mibPerSecond)" "$(json_number "$json" p50Us)" \
          "$(json_number "$json" p99Us)" "$(json_number "$json" errors)" >>"$results"
      else
        echo "  $label $name c=$clients failed: $(tail -n 2 "$tmp/run.err" | tr '\n' ' ')" >&2
        printf '%s\t%s\t%s\t%s\t%s\t%s\tfail\t\t\t\t\n' "$round" "$name" "$clients" "$messages" "$size" "$label" >>"$results"
      fi
      echo "  round $round $name c=$clients m=$messages s=$size $label: $(tail -n 1 "$results" | cut -f7) msg/s" >&2
    done
  done
done
proxy_rss_kib=$(ps -o rss= -p "${pids[1]}" | tr -d ' ')
stop_all

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
value() { awk -F'\t' -v p="$1" -v c="$2" -v l="$3" -v col="$4" '$2 == p && $3 == c && $6 == l && $7 != "fail" { print $col }' "$results" | median; }

{
  echo "# wirekit proxy vs socat (plain forwarding)"
  echo
  echo "Measured $started on $machine; $rounds round(s) of $seconds s per run (medians), the three paths taking turns."
  echo "Command: \`$command_line\`. Server: \`wirekit echo serve --engine async --nodelay\`; load: \`wirekit bench echo\`;"
  echo "proxy: \`wirekit proxy --listen .. --target ..\` (no faults, default 64 KiB buffers); socat: \`socat TCP-LISTEN:P,fork,reuseaddr,nodelay TCP:..,nodelay\`."
  echo "Proxy RSS after the runs: ${proxy_rss_kib} KiB."
  echo
  echo "| profile | clients | in flight | size | direct msg/s | proxy msg/s | socat msg/s | proxy / socat | proxy p50/p99 us | socat p50/p99 us |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for profile in "${profiles[@]}"; do
    read -r name clients messages size <<<"$profile"
    direct=$(value "$name" "$clients" direct 7); proxy=$(value "$name" "$clients" proxy 7); socat_rate=$(value "$name" "$clients" socat 7)
    ratio=$(awk -v a="$proxy" -v b="$socat_rate" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s/%s | %s/%s |\n' "$name" "$clients" "$messages" "$size" \
      "${direct%.*}" "${proxy%.*}" "${socat_rate%.*}" "$ratio" \
      "$(value "$name" "$clients" proxy 9)" "$(value "$name" "$clients" proxy 10)" "$(value "$name" "$clients" socat 9)" "$(value "$name" "$clients" socat 10)"
  done
} >"$output"
tsv_to_json proxy "$command_line" "round profile clients messages size path msgPerSecond mibPerSecond p50Us p99Us errors" "$results" >"${output%.md}.json"
write_plot "${output%.md}.json"
cat "$output"
