#!/usr/bin/env bash
# File-transfer bench (issue 4): a SIZE_MIB random file over loopback with the page cache warm,
#   nginx (sendfile on) -> curl, to /dev/null and to disk, against
#   wirekit file serve -> wirekit file get (--discard, and to disk; XXH128 verified end to end; --parallel 1 and 2).
# Every run is bounded (RUNS each, `timeout` on each); processes are stopped by the PID this script started.
# Usage: bench/file.sh [SIZE_MIB=2048] [RUNS=3]  -> prints a markdown table (bench/results/file.md keeps one), and
# writes the runs as FILE_JSON (default bench/results/file.json) with its plot beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
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

bytes=$((size_mib * 1024 * 1024))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "making a ${size_mib} MiB random file" >&2
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/root/big.bin"
cat "$work/root/big.bin" > /dev/null   # page cache warm

dotnet build -c Release src/Wirekit.Cli -v quiet -nologo >/dev/null
cli=src/Wirekit.Cli/bin/Release/net10.0/Wirekit.Cli

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
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" & pids+=($!)

"$cli" file serve --root "$work/root" --port 0 > "$work/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 50); do grep -q 'file server' "$work/serve.log" && break; sleep 0.1; done
wk_port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | cut -d: -f2)
sleep 0.5

gbps() { python3 -c "print(f'{$bytes / $1 / 1e9:.2f}')"; }   # seconds -> GB/s

curl_run() {  # $1 = output path
  local out
  out=$(timeout 120 curl -sf -o "$1" -w '%{size_download} %{time_total}' "http://127.0.0.1:$nginx_port/big.bin")
  [ "${out% *}" = "$bytes" ] || { echo "curl got ${out% *} bytes, expected $bytes" >&2; exit 1; }
  echo "${out#* }"
}
wirekit_run() {  # $1 = --parallel N or --discard
  rm -f "$work/dl/big.bin"
  timeout 120 "$cli" file get "127.0.0.1:$wk_port" big.bin -o "$work/dl" $1 --json \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; assert r["verified"], r; print(r["seconds"])'
}

# The first wirekit request hashes the file once (then cached by path+size+mtime); keep it out of the figures.
wirekit_run "--parallel 1" >/dev/null

declare -A results
for i in $(seq "$runs"); do
  results[nginx_null]+="$(gbps "$(curl_run /dev/null)") "
  rm -f "$work/dl/curl.bin"; results[nginx_disk]+="$(gbps "$(curl_run "$work/dl/curl.bin")") "
  results[wirekit_null]+="$(gbps "$(wirekit_run --discard)") "
  results[wirekit_disk_1]+="$(gbps "$(wirekit_run "--parallel 1")") "
  results[wirekit_disk_2]+="$(gbps "$(wirekit_run "--parallel 2")") "
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| path | runs (GB/s) | median GB/s |"
echo "|---|---|---|"
echo "| nginx sendfile -> curl -o /dev/null | ${results[nginx_null]}| $(echo "${results[nginx_null]}" | median) |"
echo "| wirekit serve -> get --discard, XXH128 verified | ${results[wirekit_null]}| $(echo "${results[wirekit_null]}" | median) |"
echo "| nginx sendfile -> curl -o disk | ${results[nginx_disk]}| $(echo "${results[nginx_disk]}" | median) |"
echo "| wirekit serve -> get to disk, XXH128 verified | ${results[wirekit_disk_1]}| $(echo "${results[wirekit_disk_1]}" | median) |"
echo "| wirekit serve -> get --parallel 2 to disk, verified | ${results[wirekit_disk_2]}| $(echo "${results[wirekit_disk_2]}" | median) |"

# The same runs as JSON (path round gbps) and their plot.
declare -A labels=([nginx_null]="nginx -> curl /dev/null" [wirekit_null]="wirekit get --discard" [nginx_disk]="nginx -> curl to disk"
  [wirekit_disk_1]="wirekit get to disk" [wirekit_disk_2]="wirekit get --parallel 2")
json=${FILE_JSON:-bench/results/file.json}
for key in nginx_null wirekit_null nginx_disk wirekit_disk_1 wirekit_disk_2; do
  round=0
  for gbps in ${results[$key]}; do round=$((round + 1)); printf '%s\t%s\t%s\n' "${labels[$key]}" "$round" "$gbps"; done
done >"$work/results.tsv"
tsv_to_json file "bench/file.sh $size_mib $runs" "path round gbps" "$work/results.tsv" >"$json"
tmp=$work write_plot "$json"
