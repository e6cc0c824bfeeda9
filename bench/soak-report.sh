# Sourced by bench/soak.sh: the verdict and bench/results/soak.md (write_report prints it and sets $verdict).
# Needs: samples, counts, servers, not_run, load_seconds, interval, limit, recovered, died, tmp, and the figures of
# bench/soak-sample.sh.

# slope SERVER COLUMN: least-squares slope of COLUMN, per second, over the later half of the server's load samples
# (by count: on a loaded machine a sample can take longer than its interval), and the number of samples it rests
# on ("slope n").
slope() {
  awk -F'\t' -v s="$1" -v c="$2" '
    $3 == s && $2 == "load" && $c != "" { n++; t[n] = $1; v[n] = $c }
    END {
      from = int(n / 2) + 1
      for (i = from; i <= n; i++) { m++; x += t[i]; y += v[i]; xx += t[i] * t[i]; xy += t[i] * v[i] }
      d = m * xx - x * x
      if (m < 2 || d == 0) { print "0 " m + 0; exit }
      printf "%.6f %d\n", (m * xy - x * y) / d, m
    }' "$samples"
}

# per_10_min_mib KIB_PER_S: a slope in KiB per second as MiB per 10 minutes.
per_10_min_mib() { awk -v k="$1" 'BEGIN { printf "%.2f", k * 600 / 1024 }'; }

# chat_delivery SERVER: "delivered/expected" for each reader of a chat server (churn messages only).
chat_delivery() {
  local expected n list=""
  expected=$(grep -c "^$1 msg-sent$" "$counts" || true)
  for n in 1 2 3; do list+="$(grep -c 'soak-msg' "$tmp/$1-reader-$n.lines" 2>/dev/null || echo '?')/$expected "; done
  echo "${list% }"
}

write_report() {
  local name rss_slope gc_slope anon_slope file_slope n mib gc_mib problems=()
  local rows=()
  for name in "${servers[@]}"; do
    read -r rss_slope n < <(slope "$name" 4)
    read -r gc_slope _ < <(slope "$name" 8)
    read -r anon_slope _ < <(slope "$name" 9)
    read -r file_slope _ < <(slope "$name" 10)
    mib=$(per_10_min_mib "$rss_slope")
    gc_mib=$(awk -v b="$gc_slope" 'BEGIN { printf "%.2f", b * 600 / 1048576 }')
    if [ "$n" -lt 2 ]; then
      problems+=("$name: too few samples in the second half for a slope")
    elif awk -v m="$mib" -v l="$limit" 'BEGIN { exit !(m > l) }'; then
      problems+=("$name: RSS grows $mib MiB per 10 min over the second half (limit $limit)")
    fi
    rows+=("| $name | $(( $(figure "$name" rest 4 first) / 1024 )) | $(( $(figure "$name" load 4 last) / 1024 )) | $mib ($n samples) \
| $(per_10_min_mib "$anon_slope") / $(per_10_min_mib "$file_slope") | $gc_mib \
| $(figure "$name" rest 7 first) / $(figure "$name" load 7 last) / $(figure "$name" after 7 last) \
| $(figure "$name" rest 6 first) / $(figure "$name" load 6 last) / $(figure "$name" after 6 last) \
| $(figure "$name" rest 5 first) / $(figure "$name" load 5 last) / $(figure "$name" after 5 last) |")
  done
  [ "$recovered" = 1 ] || problems+=("sockets or threads not back to their rest figures 60 s after the load (tolerance: $socket_tolerance sockets, $thread_tolerance threads)")
  for name in "${died[@]}"; do problems+=("$name exited during the load"); done
  for name in "${servers[@]}"; do
    [ "${name%%-*}" = chat ] || continue
    for pair in $(chat_delivery "$name"); do
      [ "${pair%/*}" -ge "${pair#*/}" ] 2>/dev/null || problems+=("$name: a reader received ${pair%/*} of ${pair#*/} churn messages")
    done
  done
  verdict=pass
  [ ${#problems[@]} -eq 0 ] || verdict=fail

  echo "# Soak: echo, chat and file servers under a steady mixed load"
  echo
  echo "Made by \`$command_line\` (started $started): $load_seconds s of load, a sample every $interval s. Machine: $machine."
  local gc="the runtime's defaults"
  [ ${#gc_settings[@]} -eq 0 ] || gc=${gc_settings[*]}
  echo "Servers' GC: $gc (workstation, non-concurrent, as the CLI ships)."
  if [ "${reclaim:-0}" = 1 ]; then
    echo "Each sample is taken after the server gave back what it could (a compacting, decommitting collection and"
    echo "malloc_trim, through the probe: \`-r 1\`, the default), so RSS is what it keeps; \`-r 0\` measures raw RSS."
  else
    echo "Samples are raw RSS (\`-r 0\`): memory the runtime took and would give back on demand counts as grown."
  fi
  echo
  echo "**Verdict: $verdict.** RSS slope limit: $limit MiB per 10 minutes (least squares over the later half of the load samples);"
  echo "sockets back to their figure at rest (+$socket_tolerance) and threads to theirs (+$thread_tolerance) within 60 s after the load"
  echo "(all descriptors are shown but not judged: the runtime keeps two open per assembly it has loaded, and a code path"
  echo "first taken under load loads a few more)."
  for problem in "${problems[@]}"; do echo "- $problem"; done
  echo
  echo "Load, on each server at once (\`bench/soak-load.sh\`): echo: \`wirekit bench echo\` bursts (4 clients, 10 in flight,"
  echo "2 s every 8 s) directly and through \`wirekit proxy ${faults[echo]}\`, and a connect/line/disconnect churn twice a second."
  echo "chat: 3 members reading all along, a member joining, saying two lines and leaving every second, a talker (2 KB lines,"
  echo "10/s), a flooder (dropped by the rate limit), and a member behind \`wirekit proxy ${faults[chat]}\` that stops reading"
  echo "(dropped as a slow consumer). file: a verified 4 MiB \`file get --discard\` every 3 s, another through"
  echo "\`wirekit proxy ${faults[file]}\` every 5 s (reset mid-file, as meant), and connections that leave at once or send garbage."
  echo "Figures from /proc/PID (VmRSS, Threads, fd/) and the GC's heap size after its last collection (\`bench/rss-probe\`)."
  echo
  echo "| server | RSS at rest (MiB) | RSS at end of load (MiB) | RSS slope, 2nd half (MiB/10 min) | of it anonymous / file-backed (MiB/10 min) | GC heap slope (MiB/10 min) | sockets rest / load end / after | descriptors rest / load end / after | threads rest / load end / after |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  if [ ${#not_run[@]} -gt 0 ]; then
    echo "Not run (the service refuses the engine):"
    printf -- '- %s\n' "${not_run[@]}"
    echo
  fi
  echo "Chat deliveries (churn messages received by each reading member / sent while it was in the room):"
  for name in "${servers[@]}"; do
    [ "${name%%-*}" = chat ] && echo "- $name: $(chat_delivery "$name")"
  done
  echo
  echo "Load events (count):"
  echo
  echo "| server | events |"
  echo "|---|---|"
  for name in "${servers[@]}"; do
    echo "| $name | $(awk -v s="$name" '$1 == s { print $2 }' "$counts" | sort | uniq -c | awk '{ printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1 }') |"
  done
  echo
  echo "Samples: \`$(basename "${output%.md}").json\`; plot: \`$(basename "${output%.md}").png\` / \`.svg\`."
}
