# Sourced by bench/soak.sh: the load on each server, as loops that run until bench/soak.sh stops them.
# Every client either goes to the server directly or through its `wirekit proxy` with the service's faults.
# Each load event is one line "SERVER EVENT" in $counts, summed in the report. Needs: wirekit, tmp, counts,
# port_of, proxy_of, load_pids, reader_pids.

# spawn_loop SERVER FUNCTION ARGS...: runs FUNCTION again and again in the background. Each round is a process
# group of its own, so stopping the loop (SIGTERM) also ends the client that round had started.
spawn_loop() {
  local log=$tmp/logs/load-$1.err
  shift
  ( set -m
    trap 'kill -TERM -- -$child 2>/dev/null; wait; exit 0' TERM
    while :; do "$@" & child=$!; wait "$child"; done ) 2>>"$log" &
  load_pids+=($!)
}

count() { echo "$1 $2" >>"$counts"; }

# --- echo ---------------------------------------------------------------------------------------------------------
# echo_burst SERVER PORT LABEL: two seconds of `wirekit bench echo` (4 clients, 10 in flight), then a pause.
echo_burst() {
  if timeout 30 dotnet "$wirekit_dll" bench echo "127.0.0.1:$2" --clients 4 --messages 10 --seconds 2 --warmup 0 \
       --json >"$tmp/$1-$3.json" 2>/dev/null; then
    count "$1" "$3-ok"
  else
    count "$1" "$3-failed"
  fi
  sleep 6
}

# echo_churn SERVER PORT: connect, send a line, expect it back, disconnect; twice a second.
echo_churn() {
  local fd reply line="soak $RANDOM $RANDOM"
  if exec {fd}<>"/dev/tcp/127.0.0.1/$2"; then
    printf '%s\n' "$line" >&"$fd" && read -r -t 5 -u "$fd" reply || reply=""
    exec {fd}>&-
    [ "$reply" = "$line" ] && count "$1" churn-ok || count "$1" churn-wrong
  else
    count "$1" connect-failed
  fi
  sleep 0.5
}

# --- chat ---------------------------------------------------------------------------------------------------------
# chat_reader SERVER PORT N: a member that reads everything for the whole run and keeps the churn members'
# messages it received ($tmp/SERVER-reader-N.lines): none may be lost.
# It names itself first: a member that never sends a line is closed by the server's --handshake-timeout (10 s), and
# --no-shutdown keeps ncat reading after its one line (no half-close at the end of its input).
chat_reader() {
  printf '/nick soakreader%s\n' "$3" >"$tmp/$1-reader-$3.nick"
  ncat --no-shutdown 127.0.0.1 "$2" <"$tmp/$1-reader-$3.nick" \
    > >(grep --line-buffered -E '> soak-(msg|start|end) ' >"$tmp/$1-reader-$3.lines") 2>/dev/null &
  reader_pids+=($!)
}

# chat_marker SERVER PORT WORD: a member says "soak-WORD" until every reader has the line (15 s at most).
# At the start it shows the readers are in the room (a member not yet announced is sent nothing); at the end,
# that all said before it has reached them (one room, one order), so stopping them loses no line on its way.
chat_marker() {
  local fd try n
  exec {fd}<>"/dev/tcp/127.0.0.1/$2" || return 0
  printf '/nick marker-%s\n' "$3" >&"$fd"
  for try in $(seq 1 15); do
    printf 'soak-%s %s\n' "$3" "$try" >&"$fd"
    for _ in $(seq 1 10); do
      for n in 1 2 3; do grep -q "> soak-$3 " "$tmp/$1-reader-$n.lines" 2>/dev/null || { sleep 0.1; continue 2; }; done
      break 2
    done
  done
  # The marker's own lines come back to it: read them, or closing with them unread would be a reset.
  timeout 1 cat <&"$fd" >/dev/null || true
  exec {fd}>&-
}

# chat_churn SERVER PORT: a member joins under a name, says two things, leaves; every second. It leaves once its
# second line has come back (the room echoes to the sender): closing earlier, with the welcome still unread, is a
# reset, and a reset may take lines the server had not read yet with it. Its lines count as sent once they came
# back, so a round stopped half-way by the end of the run counts nothing.
chat_churn() {
  local fd line n=$RANDOM
  if exec {fd}<>"/dev/tcp/127.0.0.1/$2"; then
    printf '/nick churn%s\nsoak-msg %s a\nsoak-msg %s b\n' "$n" "$n" "$n" >&"$fd" 2>/dev/null
    while read -r -t 10 -u "$fd" line; do [[ $line == *"soak-msg $n b"* ]] && break; done
    [[ $line == *"soak-msg $n b"* ]] && { count "$1" msg-sent; count "$1" msg-sent; } || count "$1" msg-not-echoed
    exec {fd}>&-
  else
    count "$1" connect-failed
  fi
  sleep 1
}

# chat_talker SERVER PORT: a member that sends 2 KB lines, ten a second, for a minute (within the rate limit),
# so the room has bytes to back up behind a member that stops reading.
chat_talker() {
  local fd i
  exec {fd}<>"/dev/tcp/127.0.0.1/$2" || { count "$1" connect-failed; sleep 1; return; }
  printf '/nick talker\n' >&"$fd"
  for i in $(seq 1 600); do printf 'talk %d %2000s\n' "$i" x >&"$fd" 2>/dev/null || break; sleep 0.1; done
  exec {fd}>&-
  count "$1" talker-round
}

# chat_flooder SERVER PORT: the same line as fast as TCP takes it, until the server drops it for flooding.
chat_flooder() {
  yes 'flood flood flood' | head -n 200000 | timeout 10 ncat --send-only 127.0.0.1 "$2" >/dev/null 2>&1 || true
  count "$1" flooder-round
  sleep 3
}

# chat_staller SERVER PROXY_PORT: a member behind --down-stall-reads: it stops reading, the server must drop it
# as a slow consumer (seen as the proxy's connection ending within the 30 s given) while the room goes on.
chat_staller() {
  if timeout 30 ncat --recv-only 127.0.0.1 "$2" </dev/null >/dev/null 2>&1; then count "$1" staller-dropped; else count "$1" staller-held-30s; fi
  sleep 2
}

# --- file ---------------------------------------------------------------------------------------------------------
# file_get SERVER PORT LABEL PAUSE: one verified download of the 4 MiB file, received and discarded.
file_get() {
  if timeout 60 dotnet "$wirekit_dll" file get "127.0.0.1:$2" soak.bin --discard -q >/dev/null 2>&1; then
    count "$1" "$3-ok"
  else
    count "$1" "$3-failed"
  fi
  sleep "$4"
}

# file_churn SERVER PORT: connect and leave without a word, or send garbage and expect the server to cope.
file_churn() {
  local fd
  if exec {fd}<>"/dev/tcp/127.0.0.1/$2"; then
    (( RANDOM % 2 )) && printf 'GARBAGE\r\n\0\0\0\377\377\377\377' >&"$fd" 2>/dev/null
    exec {fd}>&-
    count "$1" churn-connects
  else
    count "$1" connect-failed
  fi
  sleep 1
}

# start_load SERVER: every loop of its service, direct and through its proxy.
start_load() {
  local name=$1 port=${port_of[$1]} proxied=${proxy_of[$1]}
  case ${name%%-*} in
    echo)
      spawn_loop "$name" echo_burst "$name" "$port" bench
      spawn_loop "$name" echo_burst "$name" "$proxied" bench-via-proxy
      spawn_loop "$name" echo_churn "$name" "$port" ;;
    chat)
      for n in 1 2 3; do chat_reader "$name" "$port" "$n"; done
      chat_marker "$name" "$port" start
      spawn_loop "$name" chat_churn "$name" "$port"
      spawn_loop "$name" chat_talker "$name" "$port"
      spawn_loop "$name" chat_flooder "$name" "$port"
      spawn_loop "$name" chat_staller "$name" "$proxied" ;;
    file)
      spawn_loop "$name" file_get "$name" "$port" get 3
      spawn_loop "$name" file_get "$name" "$proxied" get-via-proxy 5
      spawn_loop "$name" file_churn "$name" "$port" ;;
  esac
}
