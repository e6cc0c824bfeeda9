#!/usr/bin/env bash
# The test command: installs the real servers and tools the tests use when they are missing, builds,
# runs every test, and ends with one line "N passed, N failed, N skipped".
# Tests whose server or privilege is missing report skipped with the reason; they never pass silently.
set -euo pipefail
cd "$(dirname "$0")"

needed=(iproute2 iptables dnsmasq nginx vsftpd gcc libc6-dev clang zlib1g-dev prometheus chromium tshark afl++ openssl stunnel4 ncat redis-server nats-server)
missing=()
for pkg in "${needed[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: missing ${missing[*]} and cannot install them; the tests that need them will report skipped"
  fi
fi

results=$(mktemp -d)
status=0
dotnet test Wirekit.slnx -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -n "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(value total); executed=$(value executed); passed=$(value passed); failed=$(value failed)
  skipped=$(( total - executed ))
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "0 passed, 1 failed"
  status=1
fi
exit $status
