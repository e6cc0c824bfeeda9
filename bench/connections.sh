#!/usr/bin/env bash
# Idle-connection benchmark: how many idle connections each server holds and what each costs it in resident
# memory (VmRSS before and after, read from /proc by `wirekit bench connections --server-pid`).
# Target (issue 2, section 4): select and async hold 10,000 at <= 16 KiB of server RSS each. The C reference
# server is measured too, as the floor (kernel socket memory is not in any process's RSS).
# Writes bench/results/connections.md, connections.json and its plot. Loopback only; every server is stopped by its own PID.
#
# usage: bench/connections.sh [-n COUNT] [-e "ENGINES"] [-o OUTPUT]
#   -n COUNT    idle connections per server (default 10000; each process may hold 20,000 files)
#   -e ENGINES  Wirekit engines to measure (default "select async")
#   -o OUTPUT   where to write the markdown (default bench/results/connections.md)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

count=10000
engines="select async"
output=bench/results/connections.md
while getopts "n:e:o:" flag; do
  case $flag in
    n) count=$OPTARG ;;
    e) engines=$OPTARG ;;
    o) output=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
command_line="bench/connections.sh $*"

tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
build_all "$tmp"
machine=$(machine_description)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
rows=()
results=$tmp/results.tsv   # server held count connectFailures echoFailures rssBeforeKiB rssAfterKiB kibPerConnection
: >"$results"

for server in c $engines; do
  port=$(free_port)
  echo "== $server (port $port), $count idle connections"
  if ! start_server "$server" "$port" "$tmp/server-$server.log"; then
    rows+=("| $server | not available (did not start) | | | | |")
    continue
  fi
  sleep 1 # let a fresh .NET server finish starting up, so its start-up growth is not charged to the connections
  json=$tmp/$server.json
  timeout 300 dotnet "$wirekit_dll" bench connections "127.0.0.1:$port" --count "$count" --server-pid "$server_pid" \
    --json >"$json" 2>"$tmp/$server.err" || true
  if [ -s "$json" ]; then
    before=$(json_number "$json" serverRssBytesBefore); after=$(json_number "$json" serverRssBytesAfter)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$(json_number "$json" held)" "$count" "$(json_number "$json" connectFailures)" \
      "$(json_number "$json" echoFailures)" $(( before / 1024 )) $(( after / 1024 )) "$(json_number "$json" serverRssKiBPerConnection)" >>"$results"
    rows+=("| $([ "$server" = c ] && echo "C epoll (reference)" || echo "$server") | $(json_number "$json" held) of $count |\
 $(json_number "$json" connectFailures) / $(json_number "$json" echoFailures) | $(( before / 1024 )) | $(( after / 1024 )) |\
 $(json_number "$json" serverRssKiBPerConnection) |")
  else
    rows+=("| $server | bench failed: $(tail -n 2 "$tmp/$server.err" | tr '\n' ' ') | | | | |")
  fi
  stop_server
done

{
  echo "# Idle connection results"
  echo
  echo "Made by \`$command_line\` (started $started)."
  echo
  echo "Machine: $machine."
  echo
  echo "Method: each server in turn on 127.0.0.1; \`wirekit bench connections\` opens the connections (from"
  echo "127.0.0.1, then .2, ... every 20,000), and once all are open sends each 4 bytes and expects them back."
  echo "Server RSS (VmRSS) is read before the first connect and after the last echo check; the difference divided"
  echo "by the connections held is the memory each costs the server process. Kernel socket buffers are not in it."
  echo
  echo "| server | held | connect / echo failures | RSS before (KiB) | RSS after (KiB) | KiB per connection |"
  echo "|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >"$output"
tsv_to_json connections "$command_line" "server held count connectFailures echoFailures rssBeforeKiB rssAfterKiB kibPerConnection" "$results" >"${output%.md}.json"
write_plot "${output%.md}.json"
echo "wrote $output, ${output%.md}.json and its plot"
