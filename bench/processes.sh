#!/usr/bin/env bash
# Casting through nginx in front of one, then two `convene serve` processes on one PostgreSQL
# (BENCHMARKS.md, issue 13): the ratio of two processes to one on the same cores. nginx proxies
# plain HTTP here (TLS is the same for both, and the load generator takes a public CA only).
# Needs nginx (Debian's) and a PostgreSQL URL whose user may create databases:
#   PG=postgres://postgres@127.0.0.1:25432/postgres bash bench/processes.sh
#   ROUNDS=3 VOTERS=10000 PROCS="1 2" …   (the defaults)
# The large benchmark (issue 13, item 10) is the same run, bigger, with the record counted,
# fetched and verified (RECORD=1), and each server process's peak memory printed:
#   ROUNDS=1 PROCS=2 REGISTERED=3000000 VOTERS=1000000 MAX_MIB=1000 TIMEOUT=3600 RECORD=1 …
# (5,000,000 does not fit one upload: about 260 bytes a voter with codes, over 1,000 MiB.)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
    cargo build --release -q -p convene
    BIN=target/release/convene
fi
: "${PG:?give PG=postgres://user@host:port/db (a user that may create databases)}"
WORK=$(mktemp -d /tmp/convene-procs.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
NGINX_PORT=18290
wait_up() { for _ in $(seq 100); do curl -sf "$1/healthz" >/dev/null && return 0; sleep 0.1; done; return 1; }
run() {
    local n=$1 round=$2 db="bench_procs_$1_$2" pids=() upstreams=""
    psql "$PG" -qc "DROP DATABASE IF EXISTS $db" -qc "CREATE DATABASE $db" >/dev/null 2>&1
    local url="${PG%/*}/$db" data="$WORK/data-$n-$round"
    for k in $(seq "$n"); do
        local port=$((18280 + k))
        "$BIN" serve --data "$data" --database "$url" --addr 127.0.0.1:$port --trusted-proxy 127.0.0.1 \
            --signin-per-minute 1000000000 --max-credentials-mib "${MAX_MIB:-512}" > "$WORK/serve-$n-$k.log" 2>&1 &
        pids+=($!)
        wait_up "http://127.0.0.1:$port"
        upstreams+="server 127.0.0.1:$port; "
    done
    mkdir -p "$WORK/nginx"
    cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log; user root; worker_processes 1;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/f; uwsgi_temp_path $WORK/nginx/u; scgi_temp_path $WORK/nginx/s;
  upstream convene { $upstreams keepalive 64; }
  server { listen 127.0.0.1:$NGINX_PORT; client_max_body_size ${MAX_MIB:-512}m; proxy_read_timeout 3600s;
    location / { proxy_pass http://convene; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } } }
CONF
    /usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
    local nginx=$!
    wait_up "http://127.0.0.1:$NGINX_PORT"
    local extra=() record="$WORK/record-$n-$round"
    [ -n "${REGISTERED:-}" ] && extra+=(--registered "$REGISTERED")
    [ -n "${RECORD:-}" ] && extra+=(--record "$record")
    local said
    if ! said=$("$BIN" loadtest --server http://127.0.0.1:$NGINX_PORT --admin-token-file "$data/admin-token" \
        --voters "${VOTERS:-10000}" --concurrency 64 --timeout "${TIMEOUT:-300}" "${extra[@]}" 2>"$WORK/loadtest.err"); then
        echo "$n process(es), round $round: the load test failed: $said"
        tail -c 2000 "$WORK/loadtest.err" | tr '\r' '\n' | tail -n 5
        tail -n 5 "$WORK"/serve-*.log
        exit 1
    fi
    for k in $(seq "$n"); do
        local metrics
        metrics=$(curl -sf -H "Authorization: Bearer $(cat "$data/metrics-token")" "http://127.0.0.1:$((18280 + k))/metrics" |
            awk '/^convene_(ballots_accepted|append_moved|append_reread_entries)_total/ {printf "%s %s; ", $1, $2}')
        echo "  server $k: $metrics"
    done
    echo "$n process(es), round $round: $(grep '^accepted' <<< "$said")"
    grep '^counted' <<< "$said" || true
    for pid in "${pids[@]}"; do
        echo "  server $pid: peak $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status), now $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
    done
    kill "$nginx" "${pids[@]}"; wait "$nginx" "${pids[@]}" 2>/dev/null || true
    if [ -n "${RECORD:-}" ]; then
        echo "  record: $(du -sb "$record" | cut -f1) bytes; convene verify: $(/usr/bin/time -f '%e s wall, %U s user, %M KiB peak' \
            "$BIN" verify "$record" 2>&1 >"$WORK/verify.out" | tail -n 1), $(grep -c VERIFIED "$WORK/verify.out") VERIFIED line"
        rm -rf "$record"
    fi
}
for round in $(seq "${ROUNDS:-3}"); do
    for n in ${PROCS:-1 2}; do
        run "$n" "$round"
    done
done
