#!/usr/bin/env bash
# RSS retention: what a server keeps in resident memory after its connections have gone (issue 8, section 8).
# Each server runs as a child process; `wirekit bench connections --cycles` opens N idle connections, closes them,
# waits until the server has closed its side (its sockets back to their level at rest), and repeats, reading the
# server's VmRSS at every step and after an idle settle. Then the rss-probe startup hook (bench/rss-probe) asks the
# server's GC what it holds and forces an aggressive collection, which separates memory the GC keeps committed
# from memory that is live. GC variants rerun the same servers under other runtime GC settings.
# Writes bench/results/rss.md. Loopback only; every server is stopped by its own PID.
#
# usage: bench/rss.sh [-n COUNT] [-m CHAT_COUNT] [-c CYCLES] [-s SETTLE] [-e "SERVERS"] [-g "GC_VARIANTS"] [-o OUTPUT]
#   -n COUNT       idle connections per cycle for echo servers (default 10000)
#   -m CHAT_COUNT  members per cycle for chat servers (default 2000: every join is announced to every member)
#   -c CYCLES      open/close cycles (default 5)
#   -s SETTLE      idle seconds after the last cycle before the settled reading (default 30)
#   -e SERVERS     service:engine pairs (default "echo:async echo:select chat:async chat:select")
#   -g VARIANTS    GC settings to compare, names from gc_env below (default "default gen0-16m")
#   -o OUTPUT      where to write the markdown (default bench/results/rss.md)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

count=10000
chat_count=2000
cycles=5
settle=30
servers="echo:async echo:select chat:async chat:select"
variants="default gen0-16m"
output=bench/results/rss.md
while getopts "n:m:c:s:e:g:o:" flag; do
  case $flag in
    n) count=$OPTARG ;;
    m) chat_count=$OPTARG ;;
    c) cycles=$OPTARG ;;
    s) settle=$OPTARG ;;
    e) servers=$OPTARG ;;
    g) variants=$OPTARG ;;
    o) output=$OPTARG ;;
    *) sed -n '2,19p' "$0"; exit 2 ;;
  esac
done
command_line="bench/rss.sh $*"
command -v python3 >/dev/null || die "python3 is needed to read the JSON reports"

# The runtime settings each variant starts the server with (environment variables read by the .NET GC).
gc_env() {
  case $1 in
    default) echo "" ;;
    gen0-16m) echo "DOTNET_GCgen0MaxBudget=0x1000000" ;;   # gen0 budget at most 16 MiB (the default allows 128 MiB here)
    gen0-4m) echo "DOTNET_GCgen0MaxBudget=0x400000" ;;
    conserve) echo "DOTNET_GCConserveMemory=7" ;;
    concurrent) echo "DOTNET_gcConcurrent=1" ;;
    server) echo "DOTNET_gcServer=1" ;;
    hardlimit) echo "DOTNET_GCHeapHardLimit=0x20000000" ;;   # 512 MiB
    *) die "unknown GC variant $1" ;;
  esac
}

tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
build_wirekit "$tmp"
dotnet build bench/rss-probe -c Release -nologo -v quiet -o "$tmp/probe" >>"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; die "rss-probe build failed"; }
server_dll=${WIREKIT_SERVER_DLL:-$wirekit_dll}
probe_dir=$tmp/probe-requests
mkdir -p "$probe_dir"
machine=$(machine_description)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# probe ACTION: asks the running server's rss-probe for ACTION (info, collect, aggressive, trim), waits for the
# answer (10 s at most), and prints it as one JSON line.
probe() {
  : >"$probe_dir/$server_pid.$1"
  for _ in $(seq 1 100); do [ -e "$probe_dir/$server_pid.$1" ] || break; sleep 0.1; done
  [ -e "$probe_dir/$server_pid.$1" ] && { rm -f "$probe_dir/$server_pid.$1"; echo '{}'; return; }
  tail -n 1 "$probe_dir/$server_pid.jsonl"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0; }

rows=()
for variant in $variants; do
  for pair in $servers; do
    service=${pair%%:*}; engine=${pair##*:}
    n=$count; check=""
    [ "$service" = chat ] && { n=$chat_count; check="--no-check"; }
    port=$(free_port)
    echo "== $service on $engine, GC $variant (port $port): $cycles x $n connections, then $settle s idle"
    # shellcheck disable=SC2046 # the variant's settings are words of the env command on purpose
    env $(gc_env "$variant") DOTNET_STARTUP_HOOKS="$tmp/probe/RssProbe.dll" RSS_PROBE_DIR="$probe_dir" \
      dotnet "$server_dll" "$service" serve --engine "$engine" --port "$port" >"$tmp/server.log" 2>&1 &
    server_pid=$!
    if ! wait_listening "$port"; then
      rows+=("| $service | $engine | $variant | did not start | | | | | | | |")
      stop_server
      continue
    fi
    sleep 2 # a fresh .NET server finishes starting up; its start-up growth is not charged to the connections
    json=$tmp/$service-$engine-$variant.json
    timeout $(( 120 + cycles * 120 + settle )) dotnet "$wirekit_dll" bench connections "127.0.0.1:$port" --count "$n" \
      --cycles "$cycles" --settle "$settle" --release-timeout 20 --server-pid "$server_pid" $check --json >"$json" 2>"$tmp/bench.err" || true
    info=$(probe info)
    aggressive=$(probe aggressive)
    sleep 0.5
    after_gc=$(rss_kib)
    stop_server
    if [ ! -s "$json" ]; then
      rows+=("| $service | $engine | $variant | bench failed: $(tail -n 1 "$tmp/bench.err") | | | | | | | |")
      continue
    fi
    rows+=("$(python3 - "$json" "$info" "$aggressive" "$after_gc" "$service" "$engine" "$variant" "$n" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
info, aggressive = json.loads(sys.argv[2]), json.loads(sys.argv[3])
after_gc, service, engine, variant, n = int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7], int(sys.argv[8])
kib = lambda b: (b or 0) // 1024
mib = lambda b: f"{(b or 0) / 1048576:.1f}"
before = kib(report.get("serverRssBytesBefore"))
cycles = report["cycles"]
held = min(c["held"] for c in cycles)
released = all(c.get("serverReleased") for c in cycles)
closed = " / ".join(f"{kib(c.get('serverRssBytesClosed')):,}" for c in cycles)
settled = kib(report.get("serverRssBytesSettled")) or kib(cycles[-1].get("serverRssBytesClosed"))  # keys with no value are left out
growth = f"{100 * (settled - before) / before:+.0f} %" if before else "?"
print(f"| {service} | {engine} | {variant} | {held:,} of {n:,}{'' if released else ' (the server kept some open 20 s after they closed)'} "
      f"| {before:,} | {kib(cycles[0]['serverRssBytesOpen']):,} | {closed} | {settled:,} ({growth}) "
      f"| {mib(info.get('gcCommittedBytes'))} / {mib(info.get('gcHeapSizeBytes'))} "
      f"| {after_gc:,} ({100 * (after_gc - before) / before:+.0f} %) | {mib(aggressive.get('gcCommittedBytes'))} |")
PY
)")
  done
done

{
  echo "# RSS retention results"
  echo
  echo "Made by \`$command_line\` (started $started)."
  echo
  echo "Machine: $machine."
  echo
  echo "Method: each server runs alone as a child process on 127.0.0.1 (\`wirekit SERVICE serve --engine E\`, defaults"
  echo "otherwise), with the \`bench/rss-probe\` startup hook loaded. \`wirekit bench connections --cycles $cycles --settle $settle\`"
  echo "opens the connections (echo: checked to echo; chat: held as silent members), reads the server's VmRSS, closes"
  echo "them, waits until the server's sockets are back to their level at rest, reads VmRSS again, and repeats; after"
  echo "the last cycle the server is left idle for $settle s. Then the probe reports the GC's committed and live bytes"
  echo "(no collection), and forces \`GC.Collect(2, GCCollectionMode.Aggressive)\` (compacts, then decommits what"
  echo "it does not need): VmRSS after that is what the process needs with no connection; the rest of the settled"
  echo "figure was memory the GC kept committed. RSS in KiB; GC figures in MiB."
  echo
  echo "| service | engine | GC | held per cycle | RSS before | RSS open (cycle 1) | RSS closed, each cycle | RSS settled (vs before) | GC committed / live at rest | RSS after aggressive GC (vs before) | GC committed after it |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >"$output"
echo "wrote $output"
