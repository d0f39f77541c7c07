#!/usr/bin/env bash
# Lighthouse on the timeline page (/timeline/ID, docs/timeline.md), in English and Arabic, in
# Debian's Chromium against the release build: a finished demonstration that ratifies
# (`convene demo --voters 50 --seed 1 --data`, whose chair dates both milestones), served by
# `convene serve --data`. Three runs; medians are taken by hand (BENCHMARKS.md).
# Usage: bash bench/lighthouse-timeline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p convene
BIN=$PWD/target/release/convene
WORK=$(mktemp -d /tmp/convene-lh-tl.XXXXXX)
"$BIN" demo --voters 50 --seed 1 --data "$WORK/finished" --out "$WORK/record" > "$WORK/demo.log"
ls "$WORK/record" | grep timeline
"$BIN" serve --data "$WORK/finished" --addr 127.0.0.1:18211 > "$WORK/finished.log" 2>&1 &
a=$!
trap 'kill $a 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:18211/healthz >/dev/null && break; sleep 0.2; done
sleep 2
cd web
for run in 1 2 3; do
  echo "run $run"
  node scripts/lighthouse.mjs http://127.0.0.1:18211/timeline/convene-demo "http://127.0.0.1:18211/timeline/convene-demo?lang=ar"
done
