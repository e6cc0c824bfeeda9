#!/usr/bin/env bash
# TLS client benchmark: `wirekit bench echo --tls` against a TLS echo server, next to `wirekit bench echo` on the
# same server in plaintext, in one run (the ratio is what counts, not the absolute figures of a shared VM); then
# handshakes per second with `wirekit bench connections --tls` and, for reference, `openssl s_time -new`.
# The TLS server is a variable: TLS_SERVERS lists the setups to measure (default "stunnel+c": stunnel terminating
# TLS in front of the C reference epoll echo server; "wirekit": `wirekit echo serve --tls-cert`, async engine).
# Add a setup by adding a case to start_tls_server.
# Writes bench/results/tls.md. Loopback only; every process is stopped by its own PID; every run is bounded.
#
# usage: bench/tls.sh [-s SECONDS] [-n HANDSHAKES] [-o OUTPUT]
#   -s SECONDS     measured seconds per echo run (default 5)
#   -n HANDSHAKES  connections `bench connections --tls` opens (default 500)
#   -o OUTPUT      where to write the markdown (default bench/results/tls.md)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

seconds=5
handshakes=500
output=bench/results/tls.md
while getopts "s:n:o:" flag; do
  case $flag in
    s) seconds=$OPTARG ;;
    n) handshakes=$OPTARG ;;
    o) output=$OPTARG ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
  esac
done
command_line="bench/tls.sh $*"
tls_servers=${TLS_SERVERS:-stunnel+c}

tmp=$(mktemp -d)
tls_pid=""
stop_tls() {
  [ -n "$tls_pid" ] || return 0
  kill -TERM "$tls_pid" 2>/dev/null || true
  wait "$tls_pid" 2>/dev/null || true
  tls_pid=""
}
trap 'stop_tls; stop_server; rm -rf "$tmp"' EXIT
build_all "$tmp"
machine=$(machine_description)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# One self-signed ECDSA P-256 certificate for 127.0.0.1, pinned by the client: the check costs the same as a CA
# chain of one, and nothing here depends on a trust store.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
  -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
pin=$(openssl x509 -in "$tmp/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2)

# start_tls_server SETUP PLAIN_PORT TLS_PORT: TLS on TLS_PORT in front of (or instead of) the plaintext server on
# PLAIN_PORT; sets tls_pid.
start_tls_server() {
  case $1 in
    stunnel+c)
      cat >"$tmp/stunnel.conf" <<CONF
foreground = yes
pid =
debug = warning
[echo]
accept = 127.0.0.1:$3
connect = 127.0.0.1:$2
cert = $tmp/cert.pem
key = $tmp/key.pem
CONF
      stunnel4 "$tmp/stunnel.conf" >"$tmp/stunnel.log" 2>&1 &
      tls_pid=$!
      ;;
    wirekit)
      # Wirekit's own TLS echo server (async engine, SslStream) in place of stunnel+C; the plaintext column stays C's.
      dotnet "$wirekit_dll" echo serve --port "$3" --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" --handshake-timeout 0 -q \
        >"$tmp/stunnel.log" 2>&1 &
      tls_pid=$!
      ;;
    *) die "unknown TLS server setup '$1' (known: stunnel+c, wirekit)" ;;
  esac
  for _ in $(seq 1 100); do
    ss -Hltn "sport = :$3" | grep -q . && return 0
    kill -0 "$tls_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$tmp/stunnel.log" >&2
  die "$1 did not listen on $3"
}

results=$tmp/results.tsv # setup profile clients mode msg/s p50 p99 handshake-seconds
# bench_echo SETUP PROFILE CLIENTS MODE PORT [TLS OPTIONS...]
bench_echo() {
  local setup=$1 profile=$2 clients=$3 mode=$4 port=$5 json=$tmp/run.json
  shift 5
  if timeout $(( seconds + 60 )) dotnet "$wirekit_dll" bench echo "127.0.0.1:$port" --profile "$profile" --clients "$clients" \
       --seconds "$seconds" --warmup 1 --json "$@" >"$json" 2>"$tmp/run.err"; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$profile" "$clients" "$mode" "$(json_number "$json" messagesPerSecond)" \
      "$(json_number "$json" p50Us)" "$(json_number "$json" p99Us)" "$(json_number "$json" handshakeSeconds)" >>"$results"
  else
    echo "  bench echo failed: $(tail -n 3 "$tmp/run.err" | tr '\n' ' ')" >&2
    printf '%s\t%s\t%s\t%s\tfail\t\t\t\n' "$setup" "$profile" "$clients" "$mode" >>"$results"
  fi
}

handshake_rows=""
for setup in $tls_servers; do
  plain_port=$(free_port)
  tls_port=$(free_port)
  echo "== $setup: plaintext on $plain_port, TLS on $tls_port"
  start_server c "$plain_port" "$tmp/server.log" || die "the C server did not start"
  start_tls_server "$setup" "$plain_port" "$tls_port"
  for profile in throughput pingpong; do
    for clients in 1 100; do
      echo "   $profile x $clients: plaintext, then TLS"
      bench_echo "$setup" "$profile" "$clients" plain "$plain_port"
      bench_echo "$setup" "$profile" "$clients" tls "$tls_port" --pin "$pin"
    done
  done

  echo "   handshakes: bench connections --tls -n $handshakes, openssl s_time -new"
  if timeout 120 dotnet "$wirekit_dll" bench connections "127.0.0.1:$tls_port" --tls --pin "$pin" -n "$handshakes" --json \
       >"$tmp/connections.json" 2>"$tmp/connections.err"; then
    wirekit_hs=$(json_number "$tmp/connections.json" handshakesPerSecond)
  else
    wirekit_hs=fail
    tail -n 3 "$tmp/connections.err" >&2
  fi
  # s_time counts connections completed in the time given, each a full handshake (-new), TLS 1.3 as ours.
  s_time=$(timeout 60 openssl s_time -connect "127.0.0.1:$tls_port" -new -time "$seconds" 2>/dev/null \
    | grep -o '[0-9.]* connections/user sec' | head -n 1 | cut -d' ' -f1 || true)
  s_time_real=$(timeout 60 openssl s_time -connect "127.0.0.1:$tls_port" -new -time "$seconds" 2>/dev/null \
    | grep -o '[0-9]* connections in [0-9]* real seconds' | head -n 1 || true)
  handshake_rows+="| $setup | ${wirekit_hs} | ${s_time_real:-n/a} (${s_time:-n/a} per second of s_time's own CPU) |"$'\n'
  stop_tls
  stop_server
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "fail" || b == "fail" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
{
  echo "# TLS client benchmark"
  echo
  echo "\`$command_line\`, $started. $machine."
  echo
  echo "Same client (\`wirekit bench echo\`, 32 B messages), same server, plaintext and TLS one after the other. The TLS"
  echo "handshakes run before the 1 s warm-up and count in no rate; the handshake column says how long they took."
  echo "Server setups: stunnel+c = stunnel $(stunnel4 -version 2>&1 | grep -o 'stunnel [0-9.]*' | head -n 1 | cut -d' ' -f2) in front of the C epoll echo server; wirekit = \`wirekit echo serve --tls-cert\` (async engine). The plaintext column is the C server in both."
  echo
  echo "| setup | profile | clients | plaintext msg/s | TLS msg/s | TLS / plaintext | TLS p50 µs | TLS p99 µs | handshakes (s) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  for setup in $tls_servers; do
    for profile in throughput pingpong; do
      for clients in 1 100; do
        plain=$(awk -F'\t' -v s="$setup" -v p="$profile" -v c="$clients" '$1==s && $2==p && $3==c && $4=="plain" {print $5}' "$results")
        IFS=$'\t' read -r _ _ _ _ tls p50 p99 hs < <(awk -F'\t' -v s="$setup" -v p="$profile" -v c="$clients" '$1==s && $2==p && $3==c && $4=="tls"' "$results")
        echo "| $setup | $profile | $clients | ${plain:-fail} | ${tls:-fail} | $(ratio "$tls" "$plain") | ${p50:-} | ${p99:-} | ${hs:-} |"
      done
    done
  done
  echo
  echo "Handshakes per second (full handshakes, no session resumption):"
  echo
  echo "| setup | \`wirekit bench connections --tls -n $handshakes\` | \`openssl s_time -new -time $seconds\` |"
  echo "|---|---:|---:|"
  printf '%s' "$handshake_rows"
  echo
  echo "Reading: the load average above is the machine's, shared with other builds; absolute figures move by a factor of"
  echo "two from run to run there, so compare the TLS column with the plaintext one next to it (measured seconds apart)."
  echo "TLS here adds stunnel's decrypt and re-encrypt and a second TCP hop per message on the same two cores, and the"
  echo "client drives TLS connections with two async loops each (SslStream cannot be polled like a non-blocking socket)"
  echo "where plaintext uses its select loop. Handshakes: bench connections runs up to 200 .NET client handshakes at once"
  echo "(certificate parsing and chain building per handshake, even with a pin), s_time one OpenSSL client after another."
} >"$output"
echo "wrote $output"
