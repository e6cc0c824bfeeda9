# Shared by the bench scripts (sourced, not run): building the C reference and Wirekit,
# starting a server, waiting for its port, and stopping it by its own PID.
# Every server started here is recorded in server_pid and stopped by stop_server (also on exit, via the trap
# the caller sets).

baseline_dir=${BASELINE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/baseline}
server_pid=""

die() { echo "error: $*" >&2; exit 1; }

# build_wirekit DIR: sets $wirekit_dll to WIREKIT_DLL when given (an assembly already built: the CI smokes pass
# theirs), else builds the CLI in Release (its log in DIR/build.log). Sets the command array $wirekit to
# `dotnet $wirekit_dll`, or to WIREKIT_BIN when given: the native (AOT) executable, `dotnet publish src/Wirekit.Cli
# -r linux-x64 -p:PublishAot=true` (the scripts that start Wirekit with "${wirekit[@]}" then measure that binary;
# $wirekit_dll is left unset then, so a script that runs `dotnet "$wirekit_dll"` stops at it under set -u).
build_wirekit() {
  if [ -n "${WIREKIT_BIN:-}" ]; then
    [ -x "$WIREKIT_BIN" ] || die "WIREKIT_BIN=$WIREKIT_BIN is not an executable"
    wirekit=("$WIREKIT_BIN")
    return
  fi
  if [ -n "${WIREKIT_DLL:-}" ]; then
    wirekit_dll=$WIREKIT_DLL
  else
    dotnet build src/Wirekit.Cli -c Release -nologo -v quiet >"$1/build.log" 2>&1 || { cat "$1/build.log"; die "dotnet build failed"; }
    wirekit_dll=$(pwd)/src/Wirekit.Cli/bin/Release/net10.0/Wirekit.Cli.dll
  fi
  [ -f "$wirekit_dll" ] || die "no $wirekit_dll"
  wirekit=(dotnet "$wirekit_dll")
}

# Builds epoll_echo_server and echo_load into $1 (a temp dir), and Wirekit in Release; sets $wirekit_dll.
build_all() {
  local out=$1
  [ -f "$baseline_dir/epoll_echo_server.c" ] || die "C reference not found in $baseline_dir (set BASELINE_DIR)"
  cc -O2 -o "$out/epoll_echo_server" "$baseline_dir/epoll_echo_server.c"
  cc -O2 -o "$out/echo_load" "$baseline_dir/echo_load.c"
  build_wirekit "$out"
  # WIREKIT_SERVER_DLL runs the servers from another build (a branch, an older commit) under the same client.
  server_dll=${WIREKIT_SERVER_DLL:-$wirekit_dll}
  [ -f "$server_dll" ] || die "no $server_dll"
}

# A port nobody listens on, from a range away from the defaults (25000) other people may be using.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 26000 + RANDOM % 4000 ))
    if ! ss -Hltn "sport = :$port" | grep -q .; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

# Waits until $1 (a port) listens, the server ($2, default $server_pid) exits, or 30 s pass. Checking with ss, not a
# connect, keeps the probe from being a client the server has to serve (an iterative server would be busy with it).
wait_listening() {
  local port=$1 pid=${2:-$server_pid}
  for _ in $(seq 1 300); do
    ss -Hltn "sport = :$port" | grep -q . && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_server NAME PORT LOGFILE [OPTIONS...]: "c" for the C reference, otherwise a Wirekit engine name; OPTIONS go
# to `wirekit echo serve` (bench/metrics.sh adds --metrics).
start_server() {
  local name=$1 port=$2 log=$3
  shift 3
  if [ "$name" = c ]; then
    "$tmp/epoll_echo_server" "$port" 127.0.0.1 >"$log" 2>&1 &
  else
    # --nodelay because the C server sets TCP_NODELAY on every accepted socket: same rules for both.
    dotnet "$server_dll" echo serve --engine "$name" --port "$port" --nodelay "$@" >"$log" 2>&1 &
  fi
  server_pid=$!
  if ! wait_listening "$port"; then
    echo "  $name did not start listening on $port; its output:" >&2
    sed 's/^/    /' "$log" >&2
    stop_server
    return 1
  fi
}

# SIGTERM, up to 5 s to exit (the engines promise 2 s), then SIGKILL. Only ever the PID we started.
stop_server() {
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "  server $server_pid still alive 5 s after SIGTERM: killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# json_number FILE KEY: the first numeric value of "KEY" in a JSON file (the reports are flat enough for this).
json_number() { grep -o "\"$2\": *-\?[0-9.]*" "$1" | head -n 1 | sed 's/.*: *//'; }

machine_description() {
  local cpu
  cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
  echo "$(nproc) CPUs ($cpu), Linux $(uname -r), .NET SDK $(dotnet --version), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
}

# tsv_to_json KIND COMMAND "COLUMN..." FILE.tsv: the rows of a results TSV as the JSON document bench/plots reads
# (written beside the script's .md): {"kind", "command", "machine", "started", "rows": [{COLUMN: value, ...}]}. A value that is
# a number is written as one, an empty one as null, anything else as a string.
tsv_to_json() {
  awk -F'\t' -v kind="$1" -v command="$2" -v columns="$3" -v machine="${machine:-}" -v started="${started:-}" '
    function quoted(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    function value(v) { return v == "" ? "null" : (v ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ ? v : quoted(v)) }
    BEGIN {
      n = split(columns, name, " ")
      printf "{\n  \"kind\": %s,\n  \"command\": %s,\n  \"machine\": %s,\n  \"started\": %s,\n  \"rows\": [",
        quoted(kind), quoted(command), quoted(machine), quoted(started)
    }
    {
      line = ""
      for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") quoted(name[i]) ": " value($i)
      printf "%s\n    {%s}", (NR > 1 ? "," : ""), line
    }
    END { print "\n  ]\n}" }' "$4"
}

# write_plot FILE.json: the plot of a bench document beside it (FILE.png, FILE.svg) with bench/plots, built once per
# run into $tmp (PLOTS_DLL: one already built). A plot that fails is a warning: the table and the JSON stand.
write_plot() {
  if [ -z "${PLOTS_DLL:-}" ]; then
    dotnet build bench/plots -c Release -nologo -v quiet -o "$tmp/plots" >"$tmp/plots-build.log" 2>&1 \
      || { echo "warning: bench/plots did not build (no plot): $(tail -n 3 "$tmp/plots-build.log")" >&2; return 0; }
    PLOTS_DLL=$tmp/plots/Wirekit.Plots.dll
  fi
  dotnet "$PLOTS_DLL" "$1" >&2 || echo "warning: no plot of $1" >&2
}
