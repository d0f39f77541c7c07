#!/usr/bin/env bash
# The registrar's sheets for a whole electorate (BENCHMARKS.md): `convene serve` on loopback with
# one election whose manifest names the default Argon2id cost (credential_kdf), then `convene
# registrar` for VOTERS voters (default 10,000; a third each in English, Arabic and Sorani),
# timed: one Argon2id per voter on every core, then sheets.pdf and sheets.html. Prints the wall
# time, the sizes, and renders pages 1, 2 and 3 (one per language) and the last to PNG in
# target/tmp/screenshots/bench-sheets-*.png to be looked at.
# Usage: bash bench/sheets.sh        VOTERS=1000 bash bench/sheets.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p convene
BIN=target/release/convene
VOTERS=${VOTERS:-10000}
WORK=$(mktemp -d /tmp/convene-sheets.XXXXXX)
PORT=18191
"$BIN" serve --data "$WORK/data" --addr 127.0.0.1:$PORT > "$WORK/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
curl -sf -X POST -H "authorization: Bearer $(cat "$WORK/data/admin-token")" -H 'content-type: application/json' \
    http://127.0.0.1:$PORT/api/elections -d '{"election_id": "sheets", "title": "Referendum on the draft constitution",
      "regions": ["north", "south"], "trustees": {"n": 3, "t": 2},
      "questions": [{"kind": "yes-no", "id": "q", "text": "Approve?"}],
      "credential_kdf": {"algorithm": "argon2id", "memory_kib": 19456, "iterations": 2, "parallelism": 1}}' >/dev/null
{
    echo "voter,region,language"
    for i in $(seq "$VOTERS"); do
        case $((i % 3)) in 0) lang=en;; 1) lang=ar;; *) lang=ckb;; esac
        echo "voter-$i,$([ $((i % 2)) = 0 ] && echo north || echo south),$lang"
    done
} > "$WORK/voters.csv"
start=$(date +%s.%N)
"$BIN" registrar --server http://127.0.0.1:$PORT --election sheets --voters "$WORK/voters.csv" --out "$WORK/out" \
    --codes-per-voter 2 >/dev/null
end=$(date +%s.%N)
echo "voters: $VOTERS, cores: $(nproc), wall time: $(echo "$end - $start" | bc) s"
ls -l "$WORK/out" | awk 'NR > 1 { print $5, $9 }'
pages=$(pdfinfo "$WORK/out/sheets.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }' || echo "?")
echo "pages: $pages"
mkdir -p target/tmp/screenshots
for p in 1 2 3 "$pages"; do
    pdftoppm -r 70 -png -singlefile -f "$p" -l "$p" "$WORK/out/sheets.pdf" "target/tmp/screenshots/bench-sheets-page-$p"
done
