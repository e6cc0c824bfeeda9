# Sourced by bench/soak.sh: reading each server's figures, and judging whether it is back to rest.
# Needs: servers, pid_of, probe_dir, samples (the TSV every sample is appended to).

# After the load a server may keep this many more sockets and threads than at rest and still count as back:
# no socket (every client's must be closed); for threads, what .NET's thread pool keeps for a while after a busy
# spell (it retires idle workers after about 20 s, but keeps a few hot ones). All descriptors are reported too,
# but not judged: the runtime opens each assembly as it first loads it (two descriptors per .dll), so a code path
# first taken under load adds a few for good.
socket_tolerance=0
thread_tolerance=6

# gc_heap_bytes PID: the GC's heap size after its last collection (before the first one: the bytes it holds),
# from the rss-probe startup hook in the server (asked through a request file; 5 s at most). Empty if the probe
# did not answer.
gc_heap_bytes() {
  local request=$probe_dir/$1.info
  for _ in $(seq 1 50); do [ -e "$request" ] || break; sleep 0.1; done
  [ -e "$request" ] && { rm -f "$request"; return 0; }
  tail -n 1 "$probe_dir/$1.jsonl" | awk '{
    after = $0; sub(/.*"gcHeapSizeBytes":/, "", after); sub(/[^0-9].*/, "", after)
    total = $0; sub(/.*"gcTotalMemoryBytes":/, "", total); sub(/[^0-9].*/, "", total)
    print (after + 0 > 0 ? after : total) }'
}

# reclaim_all: with reclaim=1, every server gives back what it can before it is measured: a compacting collection
# that decommits (GCCollectionMode.Aggressive) and glibc's malloc_trim, through the probe (5 s at most each). Without
# it the RSS counts memory the runtime took and would give back on demand: in a 9-minute run on a quiet machine an
# echo server that had not collected once held 10 MiB of GC-committed and 4 MiB of freed malloc memory, all returned
# by these two (RSS 65.5 -> 54.1 MiB, below its 51.8 MiB at the start of the load); a slope of raw RSS is then the
# rate at which that grows until the GC runs, not a leak. What is left after them is what the server keeps.
reclaim_all() {
  [ "${reclaim:-0}" = 1 ] || return 0
  local name request
  for name in "${servers[@]}"; do
    : >"$probe_dir/${pid_of[$name]}.aggressive"
    : >"$probe_dir/${pid_of[$name]}.trim"
  done
  for name in "${servers[@]}"; do
    for request in "$probe_dir/${pid_of[$name]}.aggressive" "$probe_dir/${pid_of[$name]}.trim"; do
      for _ in $(seq 1 50); do [ -e "$request" ] || break; sleep 0.1; done
      rm -f "$request"
    done
  done
}

# sample_all T PHASE: one TSV row per server: t phase server rssKiB threads fds sockets gcHeapBytes rssAnonKiB rssFileKiB.
sample_all() {
  local name pid figures=() split=()
  reclaim_all
  # /proc first (before the probe opens its answer file), then every probe asked at once: they answer in parallel
  # within their 100 ms poll.
  for name in "${servers[@]}"; do
    pid=${pid_of[$name]}
    figures+=("$(printf '%s\t%s\t%s' "$(awk '/^VmRSS:/ { r = $2 } /^Threads:/ { t = $2 } END { printf "%s\t%s", r, t }' "/proc/$pid/status" 2>/dev/null)" \
      "$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" \
      "$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 -lname 'socket:*' 2>/dev/null | wc -l)")")
    # RSS split: anonymous (heaps, stacks, JIT'd code) and file-backed (the runtime's and the app's mapped images,
    # paged in as code paths are first taken), appended after the GC heap.
    split+=("$(awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { printf "%s\t%s", a, f }' "/proc/$pid/status" 2>/dev/null)")
  done
  for name in "${servers[@]}"; do : >"$probe_dir/${pid_of[$name]}.info"; done
  local i=0
  for name in "${servers[@]}"; do
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$name" "${figures[i]}" "$(gc_heap_bytes "${pid_of[$name]}")" "${split[i]}" >>"$samples"
    i=$((i + 1))
  done
}

# figure SERVER PHASE COLUMN WHICH: a column (4 rss, 5 threads, 6 fds, 7 sockets, 8 GC heap) of the first or last sample of a phase.
figure() {
  awk -F'\t' -v s="$1" -v p="$2" -v c="$3" -v w="$4" \
    '$3 == s && $2 == p { v = $c; if (w == "first" && !seen++) first = v } END { print (w == "first" ? first : v) }' "$samples"
}

# check_alive: every server still running; names the one that is not.
check_alive() {
  local name
  for name in "${servers[@]}"; do
    if ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
      echo "soak: $name (PID ${pid_of[$name]}) has exited; its log:" >&2
      tail -n 20 "$tmp/logs/$name.log" >&2
      died+=("$name")
      return 1
    fi
  done
}
died=()

# back_to_rest: true when every server's last sample has its sockets and threads back to their rest figures.
back_to_rest() {
  local name
  for name in "${servers[@]}"; do
    [ "$(figure "$name" after 7 last)" -le $(( $(figure "$name" rest 7 first) + socket_tolerance )) ] || return 1
    [ "$(figure "$name" after 5 last)" -le $(( $(figure "$name" rest 5 first) + thread_tolerance )) ] || return 1
  done
}
