#!/usr/bin/env bash
# The service's load benchmark (BENCHMARKS.md): `convene serve` and `convene loadtest` as two
# processes on loopback, durable storage, SQLite then PostgreSQL. For each backend: three runs
# at full speed (20,000 ballots, 64 concurrent casts) and one paced at 1,000 casts per second.
# With WITNESSES=1, each run is made twice, alternately: without witnesses, and with three local
# witnesses (`convene witness` processes) of which two must cosign every checkpoint.
# Usage: bash bench/loadtest.sh   (builds the release binary first)
#        BIN=/path/to/other/convene bash bench/loadtest.sh   (another build, e.g. a baseline)
#        WITNESSES=1 bash bench/loadtest.sh
#        VOTERS=10000 RUNS=3 bash bench/loadtest.sh   (smaller runs; the defaults are 20000 and 3)
#        CONCURRENCY=256 bash bench/loadtest.sh   (casts in flight at full speed; the default is 64)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
    cargo build --release -q -p convene
    BIN=target/release/convene
fi
WORK=$(mktemp -d /tmp/convene-load.XXXXXX)
PORT=18181

run_backend() {
    local name=$1; shift
    "$BIN" serve --data "$WORK/$name" --addr 127.0.0.1:$PORT --signin-per-minute 1000000000 "$@" > "$WORK/$name.log" 2>&1 &
    local pid=$!
    for _ in $(seq 50); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
    local load=("$BIN" loadtest --server http://127.0.0.1:$PORT --admin-token-file "$WORK/$name/admin-token")
    local modes=("none")
    [ -n "${WITNESSES:-}" ] && modes+=("witnesses")
    for run in $(seq "${RUNS:-3}"); do
        for mode in "${modes[@]}"; do
            local extra=()
            [ "$mode" = witnesses ] && extra=(--witnesses 3 --witness-quorum 2)
            echo "$name full speed, $mode, run $run: $("${load[@]}" --voters "${VOTERS:-20000}" --concurrency "${CONCURRENCY:-64}" "${extra[@]}" 2>/dev/null | tail -n 1)"
        done
    done
    for mode in "${modes[@]}"; do
        local extra=()
        [ "$mode" = witnesses ] && extra=(--witnesses 3 --witness-quorum 2)
        echo "$name at 1000/s, $mode: $("${load[@]}" --voters 10000 --concurrency 256 --rate 1000 "${extra[@]}" 2>/dev/null | tail -n 1)"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
run_backend sqlite
source .ci/postgres.sh
psql -q "$CONVENE_TEST_POSTGRES" -c "CREATE DATABASE convene_bench"
run_backend postgres --database "${CONVENE_TEST_POSTGRES%/*}/convene_bench"
rm -rf "$WORK"
