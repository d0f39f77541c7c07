#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests: Debian's packages, initdb and pg_ctl in a
# temporary directory, listening on loopback only. Source it; it exports CONVENE_TEST_POSTGRES
# and stops the server when the calling shell exits.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_DIR=$(mktemp -d /tmp/convene-pg.XXXXXX)
# The first free port from 25432 on (below the ephemeral range, where client sockets in
# TIME_WAIT could hold a port that nothing listens on).
PG_PORT=25432
while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    RUN_AS=(runuser -u postgres --)
fi
stop_postgres() { "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; }
trap stop_postgres EXIT
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
if ! "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=on -c max_connections=200" start >/dev/null; then
    echo "PostgreSQL did not start:" >&2
    tail -n 5 "$PG_DIR/log" >&2
    exit 1
fi
export CONVENE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT for the tests"
