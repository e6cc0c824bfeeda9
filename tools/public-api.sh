#!/usr/bin/env bash
# Brings a project's PublicAPI.Unshipped.txt in line with its code, for a deliberate change to the public API:
# adds the symbols PublicApiAnalyzers reports as public but undeclared (RS0016) and drops the declared ones that are
# gone (RS0017). Review the diff it leaves: every line is a promise to users.
# usage: tools/public-api.sh [PROJECT_DIR]   (default src/Wirekit)
set -euo pipefail
cd "$(dirname "$0")/.."
project=${1:-src/Wirekit}
file=$project/PublicAPI.Unshipped.txt
[ -f "$file" ] || { echo "error: $file not found" >&2; exit 2; }
for _ in 1 2 3; do
  log=$(dotnet build "$project" -c Release -nologo 2>&1 || true)
  added=$(echo "$log" | grep -E "error RS0016" | grep -oE "Symbol '.*' is not part" | sed -E "s/^Symbol '//; s/' is not part$//" | sort -u || true)
  gone=$(echo "$log" | grep -E "error RS0017" | grep -oE "Symbol '.*' is part" | sed -E "s/^Symbol '//; s/' is part$//" | sort -u || true)
  if [ -z "$added$gone" ]; then break; fi
  { echo '#nullable enable'
    { grep -v '^#nullable' "$file"; if [ -n "$added" ]; then echo "$added"; fi; } | grep -vxF -f <(echo "${gone:-__none__}") | sort -u
  } > "$file.new"
  mv "$file.new" "$file"
done
echo "$file: $(grep -vc '^#' "$file") public symbols"
