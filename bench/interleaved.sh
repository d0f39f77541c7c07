#!/usr/bin/env bash
# Casting with two or more builds, interleaved (BENCHMARKS.md): for each round, each build in
# turn serves a fresh data directory (and, with PG=1, a fresh PostgreSQL database) and the last
# build's `convene loadtest` casts VOTERS ballots at CONCURRENCY in flight. Interleaving spreads
# the machine's drift over every build alike; compare medians, and ratios round by round.
# Usage: bash bench/interleaved.sh BASELINE/convene target/release/convene
#        PG=1 bash bench/interleaved.sh A B   (PostgreSQL: .ci/postgres.sh, unless
#                                               CONVENE_TEST_POSTGRES names a running one)
#        RUNS=5 VOTERS=10000 CONCURRENCY=64 bash bench/interleaved.sh A B   (the defaults: 3, 20000, 64)
#        OWN_LOAD=1 bash bench/interleaved.sh OLD NEW   (each build's own load generator: for a
#                                                        build whose API the newest cannot drive)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
    echo "usage: bash bench/interleaved.sh BUILD_A BUILD_B [BUILD…] (paths to convene binaries)" >&2
    exit 2
fi
for bin in "$@"; do
    [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
done
LOAD=${!#}
WORK=$(mktemp -d /tmp/convene-ab.XXXXXX)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
PORT=18182
if [ -n "${PG:-}" ] && [ -z "${CONVENE_TEST_POSTGRES:-}" ]; then
    source .ci/postgres.sh
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
n=0
for round in $(seq "${RUNS:-3}"); do
    for bin in "$@"; do
        n=$((n + 1))
        flags=()
        if [ -n "${PG:-}" ]; then
            psql -q "$CONVENE_TEST_POSTGRES" -c "CREATE DATABASE convene_ab_$n"
            flags=(--database "${CONVENE_TEST_POSTGRES%/*}/convene_ab_$n")
        fi
        "$bin" serve --data "$WORK/$n" --addr 127.0.0.1:$PORT --signin-per-minute 1000000000 "${flags[@]}" \
            > "$WORK/$n.log" 2>&1 &
        pid=$!
        for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.1; done
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "convene serve ($bin) did not start; is port $PORT taken? $(tail -n 1 "$WORK/$n.log")" >&2
            exit 1
        fi
        load=$LOAD
        [ -n "${OWN_LOAD:-}" ] && load=$bin
        result=$("$load" loadtest --server http://127.0.0.1:$PORT --admin-token-file "$WORK/$n/admin-token" \
            --voters "${VOTERS:-20000}" --concurrency "${CONCURRENCY:-64}" 2>"$WORK/$n.load.err" | tail -n 1) ||
            result="the load test failed: $(tail -n 1 "$WORK/$n.load.err")"
        echo "round $round, $bin: $result"
        kill "$pid"; wait "$pid" 2>/dev/null || true
        pid=
        if [ -n "${PG:-}" ]; then psql -q "$CONVENE_TEST_POSTGRES" -c "DROP DATABASE convene_ab_$n"; fi
    done
done
