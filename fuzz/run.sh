#!/usr/bin/env bash
# Fuzzes one parser: fuzz/run.sh HARNESS SECONDS (fuzz/run.sh list for the names).
# Publishes the harness project, instruments Wirekit.dll with sharpfuzz (only the library under test: the harness,
# SharpFuzz and the framework are not), then runs afl-fuzz for SECONDS from the committed seed corpus fuzz/corpus/HARNESS.
# Findings go to fuzz/.build/findings/HARNESS (crashes/ holds the inputs that broke an invariant or threw); the last line
# printed is the run's figures, in the form fuzz/results.md records.
# FUZZ_SKIP_BUILD=1 reuses the last instrumented build (the CI smoke builds once for all harnesses);
# FUZZ_BUILD_DIR puts build and findings elsewhere than fuzz/.build (the smoke test uses its own, so a long run goes on);
# FUZZ_RESUME=1 continues the last run's findings (afl keeps its counts), so the long runs add up across sessions.
set -euo pipefail
cd "$(dirname "$0")"

build=${FUZZ_BUILD_DIR:-.build}
bin=$build/bin
tools=.build/tools  # shared by every build dir: the sharpfuzz tool does not change with the code

usage() { echo "usage: fuzz/run.sh HARNESS SECONDS | fuzz/run.sh build | fuzz/run.sh list" >&2; exit 2; }

publish() {
  rm -rf "$bin"
  dotnet publish Wirekit.Fuzz/Wirekit.Fuzz.csproj -c Release -o "$bin" --nologo -v quiet >/dev/null
  if [ ! -x "$tools/sharpfuzz" ]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
  fi
  "$tools/sharpfuzz" "$bin/Wirekit.dll" >/dev/null
}

case "${1:-}" in
  build) publish; exit 0 ;;
  list) [ "${FUZZ_SKIP_BUILD:-0}" = 1 ] || publish; dotnet "$bin/Wirekit.Fuzz.dll" list; exit 0 ;;
  ""|-h|--help) usage ;;
esac
[ $# -eq 2 ] || usage
harness=$1
seconds=$2
[ -d "corpus/$harness" ] || { echo "error: no seed corpus fuzz/corpus/$harness (see fuzz/run.sh list)" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "error: afl-fuzz is not installed (Debian package afl++)" >&2; exit 1; }

[ "${FUZZ_SKIP_BUILD:-0}" = 1 ] && [ -f "$bin/Wirekit.Fuzz.dll" ] || publish

findings=$build/findings/$harness
input=corpus/$harness
if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -f "$findings/default/fuzzer_stats" ]; then
  input=-
else
  rm -rf "$findings"
  mkdir -p "$findings"
fi
# dotnet itself is not instrumented (the managed code reports coverage), so afl's binary check is skipped; no CPU is
# pinned since the machine is shared; a core_pattern that pipes to a crash reporter only slows crash detection here.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export DOTNET_TieredPGO=0 DOTNET_CLI_TELEMETRY_OPTOUT=1
afl-fuzz -i "$input" -o "$findings" -V "$seconds" -t 5000 -m none -- dotnet "$bin/Wirekit.Fuzz.dll" "$harness" \
  >"$findings/afl.log" 2>&1 || { tail -n 30 "$findings/afl.log" >&2; exit 1; }

stats=$findings/default/fuzzer_stats
value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(value saved_crashes)
echo "$harness: seconds=$(value run_time) executions=$(value execs_done) execs_per_sec=$(value execs_per_sec) paths=$(value corpus_count) crashes=$crashes hangs=$(value saved_hangs)"
if [ "${crashes:-0}" != 0 ]; then
  echo "crashing inputs: fuzz/$findings/default/crashes (replay: dotnet fuzz/$bin/Wirekit.Fuzz.dll replay $harness FILE)" >&2
fi
