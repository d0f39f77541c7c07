#!/usr/bin/env bash
# Lighthouse on the front page, the booth and the results page (BENCHMARKS.md), in Debian's
# Chromium against the release build: a finished demonstration (`convene demo --data`, served
# by `convene serve --data`) for the front page and the counted referendum's results, and
# `convene serve --demo` for an open booth. RUNS runs each (default 3); medians are taken by hand.
# Usage: bash bench/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p convene
BIN=$PWD/target/release/convene
WORK=$(mktemp -d /tmp/convene-lighthouse.XXXXXX)
"$BIN" demo --voters 30 --data "$WORK/finished" --out "$WORK/record" > "$WORK/demo.log"
"$BIN" serve --data "$WORK/finished" --addr 127.0.0.1:18201 > "$WORK/finished.log" 2>&1 &
a=$!
"$BIN" serve --demo --data "$WORK/open" --addr 127.0.0.1:18202 > "$WORK/open.log" 2>&1 &
b=$!
trap 'kill $a $b 2>/dev/null; rm -rf "$WORK"' EXIT
for port in 18201 18202; do
    for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.2; done
done
sleep 2
cd web
for run in $(seq "${RUNS:-3}"); do
    echo "run $run"
    node scripts/lighthouse.mjs http://127.0.0.1:18201/ http://127.0.0.1:18202/vote/convene-demo http://127.0.0.1:18201/results/convene-demo
done
