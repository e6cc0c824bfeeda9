#!/usr/bin/env bash
# What the chat backplane costs (docs/chat-protocol.md, "Scale-out"; results in bench/results/backplane.md):
#  1. round trip: one member sends a timestamped line and waits for its own echo, N times in a row, on a chat
#     server alone and on one with a Redis or NATS backplane (the total order makes a member's own line come back
#     through the backplane server);
#  2. fan-out across 2 nodes: M members on each of two servers sharing a backplane, one sender on node a at R
#     messages/s for T seconds; deliveries/s counted at every member, and send -> receive latency at node b's.
# Servers are started here on free ports and stopped by their own PIDs. Short runs: the machine is shared.
# usage: bench/backplane.sh [ROUND_TRIPS=2000] [MEMBERS_PER_NODE=50] [RATE=2000] [SECONDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
round_trips=${1:-2000}
members=${2:-50}
rate=${3:-2000}
seconds=${4:-5}

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
build_wirekit "$work"
cli=(dotnet "$wirekit_dll")

# Starts a chat server with the extra arguments given; sets $port. Rate and repeat limits off: this is load.
# (Not in $(...): the PID must land in this shell's list, and wait_listening watches $server_pid.)
chat_node() {
  port=$(free_port)
  "${cli[@]}" chat serve -p "$port" -q --rate-limit 0 --max-repeats 0 --queue-limit 16777216 "$@" >"$work/node-$port.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_listening "$port" || die "chat server did not start: $(cat "$work/node-$port.log")"
}

# Starts redis-server or nats-server; sets $url.
backplane_server() {
  local kind=$1 bp; bp=$(free_port)
  if [ "$kind" = redis ]; then
    redis-server --port "$bp" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
  else
    # JetStream on: the room's stream (memory storage) is what orders every node's events alike.
    nats-server -p "$bp" -a 127.0.0.1 -js -sd "$work/nats-$bp" >"$work/nats.log" 2>&1 &
  fi
  server_pid=$!
  pids+=("$server_pid")
  wait_listening "$bp" || die "$kind server did not start"
  url="$kind://127.0.0.1:$bp"
}

load() { python3 - "$@" <<'PY'
import asyncio, sys, time, statistics
mode = sys.argv[1]

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")

async def join(port, name):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"/nick {name}\n".encode()); await writer.drain()
    while (await reader.readline()).decode().rstrip("\n") != f"-!- {name} joined":
        pass
    return reader, writer

async def round_trips(port, count):
    reader, writer = await join(port, "rtt")
    times = []
    for i in range(count):
        start = time.perf_counter()
        writer.write(f"ping {i}\n".encode()); await writer.drain()
        expected = f"<rtt> ping {i}"
        while (await reader.readline()).decode().rstrip("\n") != expected:
            pass
        times.append((time.perf_counter() - start) * 1000)
    print(f"{pct(times, 0.5):.3f} {pct(times, 0.99):.3f} {statistics.mean(times):.3f}")

async def fanout(port_a, port_b, members, rate, seconds):
    clients = []
    for node, port in (("a", port_a), ("b", port_b)):
        for i in range(members):
            clients.append((node, await join(port, f"{node}{i}")))
    await asyncio.sleep(1)  # the joins' notices drain before the clock starts
    total = int(rate * seconds)
    got = {"a": 0, "b": 0}
    latency = []
    async def receive(node, reader):
        seen = 0
        while seen < total:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"<a0> t "):
                seen += 1
                got[node] += 1
                if node == "b":
                    latency.append((time.perf_counter() - float(line.split()[2])) * 1000)
    receivers = [asyncio.create_task(receive(node, r)) for node, (r, w) in clients]
    sender = clients[0][1][1]
    start = time.perf_counter()
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sender.write(f"t {time.perf_counter():.6f}\n".encode())
        if i % 50 == 0:
            await sender.drain()
    await sender.drain()
    try:
        await asyncio.wait_for(asyncio.gather(*receivers), timeout=seconds + 20)
    except asyncio.TimeoutError:
        pass
    elapsed = time.perf_counter() - start
    delivered = got["a"] + got["b"]
    expected = total * 2 * members
    print(f"{delivered} {expected} {delivered / elapsed:.0f} {pct(latency, 0.5):.2f} {pct(latency, 0.99):.2f}")

if mode == "rtt":
    asyncio.run(round_trips(int(sys.argv[2]), int(sys.argv[3])))
else:
    asyncio.run(fanout(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])))
PY
}

echo "## round trip, one member, $round_trips lines in a row (ms: p50 p99 mean)"
chat_node
echo "no backplane: $(load rtt "$port" "$round_trips")"
for kind in redis nats; do
  backplane_server "$kind"
  chat_node --backplane "$url" --node-name a
  sleep 1
  echo "$kind: $(load rtt "$port" "$round_trips")"
done

echo "## fan-out across 2 nodes: $members members each, one sender on a, $rate msg/s for $seconds s"
echo "## (delivered expected deliveries/s p50-ms p99-ms, latency at node b's members)"
for kind in redis nats; do
  backplane_server "$kind"
  chat_node --backplane "$url" --node-name a
  a=$port
  chat_node --backplane "$url" --node-name b
  b=$port
  sleep 1
  echo "$kind: $(load fanout "$a" "$b" "$members" "$rate" "$seconds")"
done
