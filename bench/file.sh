#!/usr/bin/env bash
# File-transfer bench (issue 4): a SIZE_MIB random file over loopback with the page cache warm,
#   nginx (sendfile on) -> curl, to /dev/null and to disk, against
#   wirekit file serve -> wirekit file get (--discard, and to disk; XXH128 verified end to end; --parallel 1 and 2).
# With -t, the same over TLS as well (issue 11): nginx HTTPS (ssl_certificate, sendfile on: OpenSSL in user space,
# as this kernel has no kTLS) -> curl -k, against `file serve --tls-cert` -> `file get --pin` (no sendfile under
# TLS: page cache -> pooled buffers -> SslStream), same self-signed ECDSA P-256 certificate on both servers.
# Every run is bounded (RUNS each, `timeout` on each); processes are stopped by the PID this script started.
# Usage: bench/file.sh [-t] [SIZE_MIB=2048] [RUNS=3]  -> prints a markdown table (bench/results/file.md keeps one),
# and writes the runs as FILE_JSON (default bench/results/file.json, TLS rows included with -t) with its plot beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
tls=0
command_line="${WIREKIT_BIN:+WIREKIT_BIN=<native binary> }bench/file.sh $*"
while getopts "t" flag; do
  case $flag in
    t) tls=1 ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
size_mib=${1:-2048}
runs=${2:-3}
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || { echo "nginx is not installed (apt-get install nginx-light)"; exit 1; }

work=$(mktemp -d /tmp/wirekit-file-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/root" "$work/dl" "$work/nginx"
chmod 755 "$work" "$work/root"   # nginx's workers run as an unprivileged user

machine=$(machine_description)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
bytes=$((size_mib * 1024 * 1024))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "making a ${size_mib} MiB random file" >&2
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/root/big.bin"
cat "$work/root/big.bin" > /dev/null   # page cache warm

build_wirekit "$work"
if [ "$tls" = 1 ]; then
  "${wirekit[@]}" cert create -o "$work/cert" --json >"$work/cert.json"
  # A bare SslStream client (bench/tls-read-probe) against the same nginx: .NET's own TLS floor, without Wirekit.
  probe_dll=${TLS_PROBE_DLL:-}
  if [ -z "$probe_dll" ]; then
    dotnet build bench/tls-read-probe -c Release -nologo -v quiet -o "$work/probe" >"$work/probe-build.log" 2>&1 \
      || { cat "$work/probe-build.log"; die "bench/tls-read-probe did not build"; }
    probe_dll=$work/probe/TlsReadProbe.dll
  fi
  pin=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fingerprint"])' "$work/cert.json")
fi

nginx_port=$(free_port)
cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  sendfile on;
  tcp_nopush on;
  server { listen 127.0.0.1:$nginx_port; root $work/root; }
$([ "$tls" = 1 ] && echo "  server { listen 127.0.0.1:$((nginx_port + 1)) ssl; root $work/root; ssl_certificate $work/cert/cert.pem; ssl_certificate_key $work/cert/key.pem; ssl_protocols TLSv1.2 TLSv1.3; }")
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" & pids+=($!)

start_file_server() {  # $1 = log name, rest = extra serve options; sets served_port (run in this shell: pids must see the PID)
  "${wirekit[@]}" file serve --root "$work/root" --port 0 "${@:2}" > "$work/$1.log" 2>&1 & pids+=($!)
  for _ in $(seq 100); do grep -q 'file server' "$work/$1.log" && break; sleep 0.1; done
  served_port=$(grep -o '127.0.0.1:[0-9]*' "$work/$1.log" | head -1 | cut -d: -f2)
}
start_file_server serve; wk_port=$served_port
if [ "$tls" = 1 ]; then
  start_file_server serve-tls --tls-cert "$work/cert/cert.pem" --tls-key "$work/cert/key.pem"; wk_tls_port=$served_port
fi
sleep 0.5

gbps() { python3 -c "print(f'{$bytes / $1 / 1e9:.2f}')"; }   # seconds -> GB/s

curl_run() {  # $1 = output path [$2 = https]
  local out url="http://127.0.0.1:$nginx_port/big.bin"
  [ "${2:-}" = https ] && url="https://127.0.0.1:$((nginx_port + 1))/big.bin"
  out=$(timeout 120 curl -skf -o "$1" -w '%{size_download} %{time_total}' "$url")
  [ "${out% *}" = "$bytes" ] || { echo "curl got ${out% *} bytes, expected $bytes" >&2; exit 1; }
  echo "${out#* }"
}
probe_run() {  # bare SslStream -> nginx HTTPS, nothing stored or hashed; prints seconds
  local out
  out=$(timeout 120 dotnet "$probe_dll" $((nginx_port + 1)) /big.bin)
  [ "${out%% *}" -gt "$bytes" ] || { echo "the probe got ${out%% *} bytes, expected $bytes and a header" >&2; exit 1; }
  echo "$out" | cut -d' ' -f2
}
wirekit_run() {  # $1 = --parallel N or --discard [$2 = tls]
  local target="127.0.0.1:$wk_port" tls_options=()
  [ "${2:-}" = tls ] && { target="127.0.0.1:$wk_tls_port"; tls_options=(--pin "$pin"); }
  rm -f "$work/dl/big.bin"
  timeout 120 "${wirekit[@]}" file get "$target" big.bin -o "$work/dl" $1 "${tls_options[@]}" --json \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; assert r["verified"], r; print(r["seconds"])'
}

# The first wirekit request hashes the file once (then cached by path+size+mtime); keep it out of the figures.
wirekit_run "--parallel 1" >/dev/null
[ "$tls" = 1 ] && wirekit_run "--parallel 1" tls >/dev/null

declare -A results
for i in $(seq "$runs"); do
  results[nginx_null]+="$(gbps "$(curl_run /dev/null)") "
  rm -f "$work/dl/curl.bin"; results[nginx_disk]+="$(gbps "$(curl_run "$work/dl/curl.bin")") "
  results[wirekit_null]+="$(gbps "$(wirekit_run --discard)") "
  results[wirekit_disk_1]+="$(gbps "$(wirekit_run "--parallel 1")") "
  results[wirekit_disk_2]+="$(gbps "$(wirekit_run "--parallel 2")") "
  if [ "$tls" = 1 ]; then
    results[nginx_tls_null]+="$(gbps "$(curl_run /dev/null https)") "
    results[wirekit_tls_null]+="$(gbps "$(wirekit_run --discard tls)") "
    results[probe_tls_null]+="$(gbps "$(probe_run)") "
    rm -f "$work/dl/curl.bin"; results[nginx_tls_disk]+="$(gbps "$(curl_run "$work/dl/curl.bin" https)") "
    results[wirekit_tls_disk]+="$(gbps "$(wirekit_run "--parallel 1" tls)") "
  fi
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| path | runs (GB/s) | median GB/s |"
echo "|---|---|---|"
echo "| nginx sendfile -> curl -o /dev/null | ${results[nginx_null]}| $(echo "${results[nginx_null]}" | median) |"
echo "| wirekit serve -> get --discard, XXH128 verified | ${results[wirekit_null]}| $(echo "${results[wirekit_null]}" | median) |"
echo "| nginx sendfile -> curl -o disk | ${results[nginx_disk]}| $(echo "${results[nginx_disk]}" | median) |"
echo "| wirekit serve -> get to disk, XXH128 verified | ${results[wirekit_disk_1]}| $(echo "${results[wirekit_disk_1]}" | median) |"
echo "| wirekit serve -> get --parallel 2 to disk, verified | ${results[wirekit_disk_2]}| $(echo "${results[wirekit_disk_2]}" | median) |"
if [ "$tls" = 1 ]; then
  echo "| nginx HTTPS -> curl -k -o /dev/null | ${results[nginx_tls_null]}| $(echo "${results[nginx_tls_null]}" | median) |"
  echo "| wirekit serve --tls-cert -> get --pin --discard, XXH128 verified | ${results[wirekit_tls_null]}| $(echo "${results[wirekit_tls_null]}" | median) |"
  echo "| nginx HTTPS -> bare .NET SslStream client (bench/tls-read-probe), nothing stored or hashed | ${results[probe_tls_null]}| $(echo "${results[probe_tls_null]}" | median) |"
  echo "| nginx HTTPS -> curl -k -o disk | ${results[nginx_tls_disk]}| $(echo "${results[nginx_tls_disk]}" | median) |"
  echo "| wirekit serve --tls-cert -> get --pin to disk, XXH128 verified | ${results[wirekit_tls_disk]}| $(echo "${results[wirekit_tls_disk]}" | median) |"
fi

# The same runs as JSON (path round gbps) and their plot.
declare -A labels=([nginx_null]="nginx -> curl /dev/null" [wirekit_null]="wirekit get --discard" [nginx_disk]="nginx -> curl to disk"
  [wirekit_disk_1]="wirekit get to disk" [wirekit_disk_2]="wirekit get --parallel 2"
  [nginx_tls_null]="nginx HTTPS -> curl /dev/null" [wirekit_tls_null]="wirekit TLS get --discard"
  [probe_tls_null]="nginx HTTPS -> .NET SslStream probe /dev/null"
  [nginx_tls_disk]="nginx HTTPS -> curl to disk" [wirekit_tls_disk]="wirekit TLS get to disk")
keys=(nginx_null wirekit_null nginx_disk wirekit_disk_1 wirekit_disk_2)
[ "$tls" = 1 ] && keys+=(nginx_tls_null wirekit_tls_null probe_tls_null nginx_tls_disk wirekit_tls_disk)
json=${FILE_JSON:-bench/results/file.json}
for key in "${keys[@]}"; do
  round=0
  for gbps in ${results[$key]}; do round=$((round + 1)); printf '%s\t%s\t%s\n' "${labels[$key]}" "$round" "$gbps"; done
done >"$work/results.tsv"
tsv_to_json file "$command_line" "path round gbps" "$work/results.tsv" >"$json"
tmp=$work write_plot "$json"
