#!/usr/bin/env bash
# The database side of ingest alone (Bmpmon.Bench batch-cost): a throwaway PostgreSQL 15 set up
# like bench/ingest.sh's, the synthetic table encoded into storage records up front, committed
# through the daemon's PostgresBatchCommit in 10,000-route transactions (first load, then the same
# routes again), with the time of each statement kind and the COPY ceiling of the same server.
#
#   bench/batch-cost.sh        # IPV4=200000 IPV6=40000 EVPN=10000 ROUTERS=1 ATTR_SETS=0 by default
#
# EXPLAIN=1 also logs every statement's plan over 200 ms (auto_explain, ANALYZE and BUFFERS) and
# prints them at the end; PGCONF_EXTRA lines go to postgresql.conf.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
IPV4=${IPV4:-200000}
IPV6=${IPV6:-40000}
EVPN=${EVPN:-10000}
ROUTERS=${ROUTERS:-1}
ATTR_SETS=${ATTR_SETS:-0}
EXPLAIN=${EXPLAIN:-0}
PGBIN=${BMPMON_PG_BINDIR:-/usr/lib/postgresql/15/bin}
BENCH_DLL=$ROOT/bench/Bmpmon.Bench/bin/Release/net10.0/Bmpmon.Bench.dll

[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 not found in $PGBIN" >&2; exit 1; }
dotnet build "$ROOT/bench/Bmpmon.Bench" -c Release >/dev/null

TMP=$(mktemp -d /tmp/bmpmon-batch-cost-XXXXXX)
chmod 755 "$TMP"
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u postgres --); chown postgres "$TMP"; fi
cleanup() {
    set +e
    [ -f "$TMP/data/postmaster.pid" ] && "${RUNAS[@]}" "$PGBIN/pg_ctl" stop -D "$TMP/data" -m immediate -w >/dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${RUNAS[@]}" "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-instructions >/dev/null
cat >>"$TMP/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP'
fsync = on
synchronous_commit = on
shared_buffers = 1GB
max_wal_size = 8GB
log_min_messages = warning
CONF
if [ "$EXPLAIN" = 1 ]; then
    cat >>"$TMP/data/postgresql.conf" <<CONF
shared_preload_libraries = 'auto_explain'
auto_explain.log_min_duration = 200
auto_explain.log_analyze = on
auto_explain.log_buffers = on
auto_explain.log_nested_statements = on
CONF
fi
echo "${PGCONF_EXTRA:-}" >>"$TMP/data/postgresql.conf"
"${RUNAS[@]}" "$PGBIN/pg_ctl" start -D "$TMP/data" -l "$TMP/server.log" -w -t 60 >/dev/null

dotnet "$BENCH_DLL" batch-cost "postgres://postgres@127.0.0.1:$PORT/postgres" "$IPV4" "$IPV6" "$EVPN" "$ROUTERS" "$ATTR_SETS"
[ "$EXPLAIN" = 1 ] && cat "$TMP/server.log"
exit 0
