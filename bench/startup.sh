#!/usr/bin/env bash
# Cold start of wirekit, JIT build vs Native AOT binary, side by side with hyperfine (Debian `hyperfine`):
#   1. `wirekit --version`
#   2. `wirekit echo serve --port 0` until it prints that it listens (then it is stopped).
# Writes bench/results/startup.md with the command, the machine and the figures, startup.json and its plot.
# Usage: bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
command -v hyperfine >/dev/null || { echo "error: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# JIT_DIR / AOT_DIR: folders already built (skips the builds, which take minutes on 2 cores).
jit_dir=${JIT_DIR:-$work/jit}
aot_dir=${AOT_DIR:-$work/aot}
[ -n "${JIT_DIR:-}" ] || dotnet build src/Wirekit.Cli -c Release -o "$jit_dir" >/dev/null
[ -n "${AOT_DIR:-}" ] || dotnet publish src/Wirekit.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$aot_dir" >/dev/null
jit="$jit_dir/Wirekit.Cli"
aot="$aot_dir/Wirekit.Cli"

# Starts the server, reads its first stdout line (the "listening on" line), stops it by its PID.
until_listening() {
  printf 'coproc S { exec %q echo serve --port 0 2>/dev/null; }; read -r line <&"${S[0]}"; kill "$S_PID"; wait "$S_PID" 2>/dev/null || true' "$1"
}

hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$work/version.md" --export-json "$work/version.json" -n jit "$jit --version" -n aot "$aot --version" >/dev/null
hyperfine --shell bash --warmup 2 --runs "$runs" --export-markdown "$work/serve.md" --export-json "$work/serve.json" -n jit "$(until_listening "$jit")" -n aot "$(until_listening "$aot")" >/dev/null

size=$(stat -c %s "$aot")
{
  echo "# Cold start: JIT build vs Native AOT"
  echo
  echo "\`bench/startup.sh $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r), commit $(git rev-parse --short HEAD)."
  echo "AOT binary: $(( size / 1024 / 1024 )) MiB ($size bytes)."
  echo
  echo "## wirekit --version"
  echo
  cat "$work/version.md"
  echo
  echo "## wirekit echo serve --port 0, until it says it listens"
  echo
  cat "$work/serve.md"
} > bench/results/startup.md

# hyperfine's figures as the bench JSON (measurement build meanMs stddevMs minMs maxMs) and their plot.
source bench/lib.sh
tmp=$work
for pair in "wirekit --version:version" "echo serve until listening:serve"; do
  python3 - "${pair%%:*}" "$work/${pair##*:}.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[2]))["results"]:
    print("\t".join([sys.argv[1], r["command"]] + [f"{r[k] * 1000:.1f}" for k in ("mean", "stddev", "min", "max")]))
PY
done >"$work/results.tsv"
tsv_to_json startup "bench/startup.sh $runs" "measurement build meanMs stddevMs minMs maxMs" "$work/results.tsv" >bench/results/startup.json
write_plot bench/results/startup.json
cat bench/results/startup.md
