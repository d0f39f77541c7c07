#!/usr/bin/env bash
# The server's memory with a large electorate (BENCHMARKS.md): for each build in turn, a fresh
# `convene serve` (SQLite) and the last build's `convene loadtest --registered REGISTERED
# --voters VOTERS` (REGISTERED credentials uploaded, VOTERS of them signing in and casting);
# then the server's peak and current resident memory (VmHWM, VmRSS from /proc/PID/status); then
# the same server restarted on its data, once it has loaded the election (its credential list,
# log and checks) to answer a receipt: what an election costs a process that did not take the
# upload.
# Usage: bash bench/memory.sh BASELINE/convene target/release/convene
#        REGISTERED=2000000 VOTERS=10000 bash bench/memory.sh A B   (the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    echo "usage: bash bench/memory.sh BUILD [BUILD…] (paths to convene binaries)" >&2
    exit 2
fi
LOAD=${!#}
WORK=$(mktemp -d /tmp/convene-memory.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PORT=18183
rss() { grep -E "^$2:" "/proc/$1/status" | awk '{printf "%.1f MiB", $2 / 1024}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
n=0
for bin in "$@"; do
    n=$((n + 1))
    "$bin" serve --data "$WORK/$n" --addr 127.0.0.1:$PORT --signin-per-minute 1000000000 > "$WORK/$n.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.1; done
    start=$(rss $pid VmRSS)
    result=$("$LOAD" loadtest --server http://127.0.0.1:$PORT --admin-token-file "$WORK/$n/admin-token" \
        --registered "${REGISTERED:-2000000}" --voters "${VOTERS:-10000}" --timeout 1200 2>/dev/null | tail -n 1)
    echo "$bin: at start $start, peak $(rss $pid VmHWM), after $(rss $pid VmRSS); database $(du -sh "$WORK/$n" | cut -f1); $result"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    "$bin" serve --data "$WORK/$n" --addr 127.0.0.1:$PORT > "$WORK/$n.again.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.1; done
    id=$(curl -sf http://127.0.0.1:$PORT/api/elections | grep -o '"id": *"load-[0-9]*"' | head -n 1 | grep -o 'load-[0-9]*')
    curl -sf "http://127.0.0.1:$PORT/api/elections/$id/receipts/0" > /dev/null
    echo "$bin, restarted, election $id loaded: peak $(rss $pid VmHWM), now $(rss $pid VmRSS)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
