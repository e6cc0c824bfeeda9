#!/usr/bin/env bash
# Turns the results TSV written by bench/echo.sh into bench/results/echo.md (on stdout).
# usage: bench/echo-report.sh RESULTS.tsv COMMAND MACHINE STARTED SECONDS ROUNDS "ENGINES"
# With several rounds a key has several rows: the report gives the median of each figure (and the most errors).
set -euo pipefail
results=$1 command_line=$2 machine=$3 started=$4 seconds=$5 rounds=$6 engines=$7

cat <<EOF
# Echo benchmark results

Made by \`$command_line\` (started $started, ${seconds} s measured per run, $rounds round(s): each figure
is the median over the rounds).

Machine: $machine.

Method: each server in turn on 127.0.0.1, loaded by Wirekit's client (\`wirekit bench echo\`, 1 client thread,
1 s warm-up left out) and by the C reference client (\`echo_load.c\`), one after the other. 32-byte messages;
whenever n bytes come back, n more are sent. A cell is messages echoed per second, and in brackets the ratio
to the C reference server measured by the same client, profile and client count in this run. Errors and failed
connects, when any, follow the figure. The machine is shared and noisy: compare ratios within a run, not
absolute figures across runs.

EOF

awk -F'\t' -v engines="c $engines" '
function human(v) {
  if (v == "") return "-"
  if (v == "fail") return "failed"
  if (v >= 1e6) return sprintf("%.2f M", v / 1e6)
  if (v >= 1e3) return sprintf("%.1f k", v / 1e3)
  return sprintf("%d", v)
}
function label(s) { return s == "c" ? "C epoll (reference)" : s }
function cell(s, p, n, cl,    k, v, base, text) {
  k = s SUBSEP p SUBSEP n SUBSEP cl
  if (!(k in rate) || rate[k] == "") return "-"
  v = rate[k]; text = human(v)
  base = rate["c" SUBSEP p SUBSEP n SUBSEP cl]
  if (v != "fail" && base != "" && base != "fail" && base > 0) text = text sprintf(" (%.2f)", v / base)
  if (err[k] > 0 || failed[k] > 0) text = text sprintf(" [%d errors, %d failed connects]", err[k], failed[k])
  return text
}
# add(array, key, value): keeps the value of every round as "v1 v2 ..." for median().
function add(a, k, v) { if (v == "") return; a[k] = (k in a) ? a[k] " " v : v }
function median(list,    n, v, i, j, t) {
  n = split(list, v, " ")
  for (i = 1; i <= n; i++) if (v[i] == "fail") return "fail"
  for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
  return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{
  if ($5 == "unavailable") { unavailable[$1] = 1; next }
  k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
  add(rates, k, $5); add(p50s, k, $8); add(p99s, k, $9); add(p999s, k, $10)
  if ($6 + 0 > err[k]) err[k] = $6 + 0
  if ($7 + 0 > failed[k]) failed[k] = $7 + 0
}
END {
  for (k in rates) rate[k] = median(rates[k])
  for (k in p50s) { p50[k] = median(p50s[k]); p99[k] = median(p99s[k]); p999[k] = median(p999s[k]) }
  nservers = split(engines, servers, " ")
  split("throughput pingpong", profiles, " ")
  title["throughput"] = "Throughput: 32 B messages, 1000 in flight per client"
  title["pingpong"] = "Ping-pong: 32 B messages, 1 in flight per client (round trips/s)"
  counts["throughput"] = "1 100"; counts["pingpong"] = "1 100 1000"

  print "## Clients compared: `wirekit bench echo` vs `echo_load.c`, both against the C server\n"
  print "| profile | clients | wirekit bench echo | echo_load.c | wirekit / echo_load.c |"
  print "|---|---:|---:|---:|---:|"
  for (i = 1; i <= 2; i++) {
    p = profiles[i]; nc = split(counts[p], cs, " ")
    for (j = 1; j <= nc; j++) {
      w = rate["c" SUBSEP p SUBSEP cs[j] SUBSEP "wirekit"]; c = rate["c" SUBSEP p SUBSEP cs[j] SUBSEP "c"]
      ratio = (w != "" && w != "fail" && c != "" && c != "fail" && c > 0) ? sprintf("%.2f", w / c) : "-"
      printf "| %s | %s | %s | %s | %s |\n", p, cs[j], human(w), human(c), ratio
    }
  }
  print ""

  for (i = 1; i <= 2; i++) {
    p = profiles[i]; nc = split(counts[p], cs, " ")
    print "## " title[p] "\n"
    header = "| server | client |"; rule = "|---|---|"
    for (j = 1; j <= nc; j++) { header = header " " cs[j] (cs[j] == 1 ? " client" : " clients") " |"; rule = rule "---:|" }
    print header; print rule
    for (s = 1; s <= nservers; s++) {
      srv = servers[s]
      if (srv in unavailable) { printf "| %s | - | not available (did not start) |\n", label(srv); continue }
      split("wirekit c", clients, " ")
      for (q = 1; q <= 2; q++) {
        line = "| " label(srv) " | " (clients[q] == "c" ? "echo_load.c" : "wirekit") " |"
        for (j = 1; j <= nc; j++) line = line " " cell(srv, p, cs[j], clients[q]) " |"
        print line
      }
    }
    print ""
  }

  print "## Round-trip latency seen by `wirekit bench echo` (µs)\n"
  print "| server | profile | clients | p50 | p99 | p99.9 |"
  print "|---|---|---:|---:|---:|---:|"
  for (s = 1; s <= nservers; s++) {
    for (i = 1; i <= 2; i++) {
      p = profiles[i]; nc = split(counts[p], cs, " ")
      for (j = 1; j <= nc; j++) {
        k = servers[s] SUBSEP p SUBSEP cs[j] SUBSEP "wirekit"
        if (k in rate && p50[k] != "") printf "| %s | %s | %s | %s | %s | %s |\n", label(servers[s]), p, cs[j], p50[k], p99[k], p999[k]
      }
    }
  }
  print ""
  print "The iterative engine serves one client at a time by design, so it is measured with 1 client only."
}' "$results"
