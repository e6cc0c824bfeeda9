#!/usr/bin/env bash
# TLS costs on the server side (issue 11), in one run on one machine:
#  1. file get of a SIZE_MIB file: plaintext (sendfile) vs TLS (page cache -> pooled buffer -> SslStream).
#     The TLS path is reached through stunnel in client mode (C/OpenSSL decrypts on the client side: written before
#     `wirekit file get --tls` existed, and kept so the client is the same in every row); so that the extra hop is not counted against TLS, the plaintext
#     path is measured both direct and through a socat relay, the same hop without encryption. XXH128 verified.
#  2. the plaintext echo hot path before/after this branch: the servers of BASE (a commit, default where this
#     branch left main) and of this tree, taking turns (which goes first alternates by round), under the same
#     client (`wirekit bench echo`, async engine, 32 B messages).
# Every process is stopped by the PID this script started; every run is bounded.
# usage: bench/tls-server.sh [SIZE_MIB=1024] [RUNS=3] [SECONDS=5] [BASE=$(git merge-base main HEAD)]   (SIZE_MIB 0: echo part only)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
size_mib=${1:-1024}
runs=${2:-3}
seconds=${3:-5}
base=${4:-$(git merge-base main HEAD)}
for tool in stunnel4 socat openssl; do command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }; done

work=$(mktemp -d /tmp/wirekit-tls-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/root" "$work/dl" "$work/base"
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

dotnet build -c Release src/Wirekit.Cli -v quiet -nologo >/dev/null
cli=$(pwd)/src/Wirekit.Cli/bin/Release/net10.0/Wirekit.Cli.dll
echo "building $base for the before/after echo figures" >&2
git archive "$base" | tar -x -C "$work/base"
dotnet build -c Release "$work/base/src/Wirekit.Cli" -v quiet -nologo >/dev/null
base_cli=$work/base/src/Wirekit.Cli/bin/Release/net10.0/Wirekit.Cli.dll

# ---- 1. file get, plaintext vs TLS
if (( size_mib > 0 )); then
bytes=$((size_mib * 1024 * 1024))
echo "making a ${size_mib} MiB random file" >&2
head -c "$bytes" /dev/urandom > "$work/root/big.bin"
cat "$work/root/big.bin" > /dev/null
dotnet "$cli" cert create -o "$work/cert" --json > /dev/null
plain_port=$(free_port); tls_port=$(free_port); relay_port=$(free_port); tunnel_port=$(free_port)
dotnet "$cli" file serve --root "$work/root" -p "$plain_port" -q & pids+=($!)
dotnet "$cli" file serve --root "$work/root" -p "$tls_port" -q --tls-cert "$work/cert/cert.pem" --tls-key "$work/cert/key.pem" & pids+=($!)
socat "TCP-LISTEN:$relay_port,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$plain_port" & pids+=($!)
cat > "$work/stunnel.conf" <<CONF
foreground = yes
pid =
[file]
client = yes
accept = 127.0.0.1:$tunnel_port
connect = 127.0.0.1:$tls_port
CAfile = $work/cert/cert.pem
verifyPeer = yes
CONF
stunnel4 "$work/stunnel.conf" > "$work/stunnel.log" 2>&1 & pids+=($!)
ports=("$plain_port" "$tls_port" "$relay_port" "$tunnel_port")  # in the order their processes joined pids
for i in "${!ports[@]}"; do wait_listening "${ports[$i]}" "${pids[$i]}" || die "nothing listens on ${ports[$i]}"; done

get() {  # $1 = port: seconds for a --discard get, XXH128 verified
  timeout 300 dotnet "$cli" file get "127.0.0.1:$1" big.bin -o "$work/dl" --discard --json \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; assert r["verified"], r; print(r["seconds"])'
}
gbps() { python3 -c "print(f'{$bytes / $1 / 1e9:.2f}')"; }
get "$plain_port" > /dev/null; get "$tunnel_port" > /dev/null   # the first request hashes the file (then cached)
declare -A file
for _ in $(seq "$runs"); do
  file[direct]+="$(gbps "$(get "$plain_port")") "
  file[relay]+="$(gbps "$(get "$relay_port")") "
  file[tls]+="$(gbps "$(get "$tunnel_port")") "
done

fi

# ---- 2. plaintext echo before/after
echo_run() {  # $1 = server dll, $2 = clients, $3 = in flight: messages/s
  local port; port=$(free_port)
  dotnet "$1" echo serve -e async -p "$port" --nodelay -q & local pid=$!
  wait_listening "$port" "$pid" || die "nothing listens on $port"
  timeout $((seconds + 40)) dotnet "$cli" bench echo "127.0.0.1:$port" --clients "$2" --messages "$3" --size 32 --seconds "$seconds" --json \
    | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["messagesPerSecond"]))'
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
declare -A echo_rate
for round in $(seq "$runs"); do
  for profile in "1 1000" "100 1"; do
    key=${profile// /x}
    if (( round % 2 )); then
      echo_rate[base_$key]+="$(echo_run "$base_cli" $profile) "
      echo_rate[this_$key]+="$(echo_run "$cli" $profile) "
    else
      echo_rate[this_$key]+="$(echo_run "$cli" $profile) "
      echo_rate[base_$key]+="$(echo_run "$base_cli" $profile) "
    fi
  done
done

if (( size_mib > 0 )); then
echo "## file get of $size_mib MiB, --discard, XXH128 verified ($runs runs, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "| path | runs (GB/s) | median GB/s |"
echo "|---|---|---|"
echo "| plaintext, direct (sendfile) | ${file[direct]}| $(echo "${file[direct]}" | median) |"
echo "| plaintext through a socat relay (sendfile) | ${file[relay]}| $(echo "${file[relay]}" | median) |"
echo "| TLS 1.3 through stunnel's client (pooled 256 KiB reads + SslStream) | ${file[tls]}| $(echo "${file[tls]}" | median) |"
echo
fi
echo "## plaintext echo, async engine, 32 B messages: ${base:0:7} vs this tree ($runs runs of ${seconds} s, alternating)"
echo
echo "| profile | ${base:0:7} msg/s | this tree msg/s | ratio (medians) |"
echo "|---|---|---|---|"
for profile in "1x1000" "100x1"; do
  b=$(echo "${echo_rate[base_$profile]}" | median); t=$(echo "${echo_rate[this_$profile]}" | median)
  echo "| ${profile/x/ clients, } in flight | ${echo_rate[base_$profile]}| ${echo_rate[this_$profile]}| $(python3 -c "print(f'{$t / $b:.3f}')") |"
done
