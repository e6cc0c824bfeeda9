#!/usr/bin/env bash
# Chat fan-out sweep (issue 14 §4, "chat deliveries/s vs offered rate per engine"): `wirekit bench chat` on each
# engine at a series of offered rates, for a room of C members, one sender; deliveries/s, how much of what was
# offered arrived, members dropped as too slow, and send -> receive p50/p99. Offered deliveries/s = rate x members
# (every member receives every message). Writes bench/results/chat-sweep.md, its JSON and plot.
# The server and the members share the process and the 2 cores (as in bench/results/chat.md).
#
# usage: bench/chat.sh [-e "ENGINES"] [-c MEMBERS] [-r "RATES"] [-s SECONDS] [-o OUTPUT]
#   -e ENGINES  chat engines (default "threads select async"; iterative serves one member at a time)
#   -c MEMBERS  members in the room (default 100)
#   -r RATES    messages/s offered by the sender, in turn (default "100 1000 3000 10000 30000 0"; 0 = as fast as
#               the server takes them)
#   -s SECONDS  how long each rate is sent (default 5)
#   -o OUTPUT   where to write the markdown (default bench/results/chat-sweep.md)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

engines="threads select async"
members=100
rates="100 1000 3000 10000 30000 0"
seconds=5
output=bench/results/chat-sweep.md
command_line="bench/chat.sh $*"
while getopts "e:c:r:s:o:" flag; do
  case $flag in
    e) engines=$OPTARG ;;
    c) members=$OPTARG ;;
    r) rates=$OPTARG ;;
    s) seconds=$OPTARG ;;
    o) output=$OPTARG ;;
    *) sed -n '8,15p' "$0"; exit 2 ;;
  esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build_wirekit "$tmp"
machine=$(machine_description)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
results=$tmp/results.tsv # engine members rate offeredPerSecond sent deliveriesPerSecond deliveredPercent clientsLost p50Ms p99Ms
: >"$results"

# field NAME FILE: a number from the report's pretty JSON (the first "NAME": value line; the latency block's
# p50/p99 are the only ones by those names).
field() { sed -n "s/^ *\"$1\": \([-0-9.eE+]*\),\{0,1\}$/\1/p" "$2" | head -n 1; }

for engine in $engines; do
  for rate in $rates; do
    echo "== $engine, $members members, rate ${rate/#0/unlimited}" >&2
    report=$tmp/$engine-$rate.json
    if dotnet "$wirekit_dll" bench chat --engine "$engine" --clients "$members" --rate "$rate" --seconds "$seconds" --json \
        >"$report" 2>"$tmp/error.log"; then
      offered=$(awk -v r="$rate" -v c="$members" -v s="$(field sent "$report")" -v t="$seconds" \
        'BEGIN { printf "%d", (r > 0 ? r : s / t) * c }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$members" "$rate" "$offered" "$(field sent "$report")" \
        "$(field deliveriesPerSecond "$report")" "$(field deliveredPercent "$report")" "$(field clientsLost "$report")" \
        "$(field p50 "$report")" "$(field p99 "$report")" >>"$results"
    else
      echo "warning: $engine at $rate failed: $(tail -n 1 "$tmp/error.log")" >&2
      printf '%s\t%s\t%s\t\t\t\t\t\t\t\n' "$engine" "$members" "$rate" >>"$results"
    fi
  done
done

{
  echo "# Chat fan-out: deliveries/s vs offered rate, per engine"
  echo
  echo "Made by \`$command_line\` (started $started), each rate sent for $seconds s. Machine: $machine."
  echo "Each row: \`wirekit bench chat --engine E --clients $members --rate R --seconds $seconds --json\` (one sender; rate 0 ="
  echo "as fast as the server takes them, its offered figure is what was sent). Offered = rate x members; a member"
  echo "that lags past its queue is dropped and counted (\`lost\`), and what it did not get is not delivered."
  echo
  echo "| engine | members | rate (msg/s) | offered deliveries/s | messages sent | deliveries/s | delivered | lost members | p50 (ms) | p99 (ms) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, ($3 == 0 ? "unlimited" : $3), $4, $5,
    ($6 == "" ? "failed" : $6), ($7 == "" ? "" : $7 " %"), $8, $9, $10 }' "$results"
  echo
  echo "Samples: \`$(basename "${output%.md}").json\`; plot: \`$(basename "${output%.md}").png\` / \`.svg\`."
} >"$output"
json=${output%.md}.json
tsv_to_json chat "$command_line" "engine members rate offeredPerSecond sent deliveriesPerSecond deliveredPercent clientsLost p50Ms p99Ms" "$results" >"$json"
write_plot "$json"
cat "$output"
