#!/usr/bin/env bash
# End-to-end ingest bench (issue 5, "Speed"): a throwaway PostgreSQL 15 with production-like
# durability, the Native AOT bmpmond with BMPMOND_OUTPUT=postgres, the synthetic full table
# replayed into it by one router and by 4 routers at once, and the raw COPY ceiling of the same
# server (the stored rows COPYed back from server-side binary files: no client, no decoding).
#
#   bench/ingest.sh            # builds what is missing, runs everything (a few minutes)
#
# Settings (environment): IPV4 (1000000) IPV6 (200000) EVPN (50000) routes per router;
# ATTR_SETS (routes of a router share this many attribute sets; default 125000, a tenth of the
# routes, as in a real full table (shared/notes/pg-ingest.md); 0: every route its own set);
# MAX_PENDING_MB (the daemon's BMPMOND_MAX_PENDING_MB, unset: its default); ROUTERS (4); INDEX_COSTS (1: also load route_updates without its
# indexes and with each alone); PERF (1: perf record bmpmond in the one-router run; system: the
# whole box, reported per process and per PostgreSQL function);
# KEEP (1: keep the temp folder); PGCONF_EXTRA (lines appended to postgresql.conf). Figures go to stdout and to $OUT (default bench/ingest-last.txt).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
IPV4=${IPV4:-1000000}
IPV6=${IPV6:-200000}
EVPN=${EVPN:-50000}
ATTR_SETS=${ATTR_SETS:-125000}
ROUTERS=${ROUTERS:-4}
INDEX_COSTS=${INDEX_COSTS:-1}
PERF=${PERF:-0}
OUT=${OUT:-$ROOT/bench/ingest-last.txt}
PGBIN=${BMPMON_PG_BINDIR:-/usr/lib/postgresql/15/bin}
BMPMOND=${BMPMOND:-$ROOT/artifacts/bench/bmpmond}
BENCH_DLL=$ROOT/bench/Bmpmon.Bench/bin/Release/net10.0/Bmpmon.Bench.dll
PER_ROUTER=$((IPV4 + IPV6 + EVPN))
HZ=$(getconf CLK_TCK)
STARTED=$(date +%s)

say() { echo "$*" | tee -a "$OUT"; }
now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }

[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 not found in $PGBIN (apt-get install -y postgresql-15)" >&2; exit 1; }
if [ ! -x "$BMPMOND" ]; then
    dotnet publish "$ROOT/src/bmpmond" -c Release -r linux-x64 -o "$(dirname "$BMPMOND")" >/dev/null
fi
if [ ! -f "$BENCH_DLL" ]; then
    dotnet build "$ROOT/bench/Bmpmon.Bench" -c Release >/dev/null
fi

TMP=$(mktemp -d /tmp/bmpmon-ingest-XXXXXX)
chmod 755 "$TMP"
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u postgres --); fi
DAEMON_PID=
cleanup() {
    set +e
    [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
    [ -f "$TMP/data/postmaster.pid" ] && "${RUNAS[@]}" "$PGBIN/pg_ctl" stop -D "$TMP/data" -m immediate -w >/dev/null 2>&1
    [ "${KEEP:-0}" = 1 ] || rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- the server -------------------------------------------------------------------------------
PORT=$(free_port)
mkdir -p "$TMP/data" "$TMP/copy"
[ ${#RUNAS[@]} -gt 0 ] && chown -R postgres:postgres "$TMP"
"${RUNAS[@]}" "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-instructions >/dev/null
cat >>"$TMP/data/postgresql.conf" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP'
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 1GB
max_wal_size = 8GB
max_connections = 50
log_min_messages = warning
${PGCONF_EXTRA:-}
EOF
"${RUNAS[@]}" "$PGBIN/pg_ctl" start -D "$TMP/data" -l "$TMP/server.log" -w -t 60 >/dev/null
PM=$(head -1 "$TMP/data/postmaster.pid")
PGVERSION=$("$PGBIN/postgres" --version)

psql_db() { local db=$1; shift; "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d "$db" "$@"; }
url() { echo "postgres://postgres@127.0.0.1:$PORT/$1"; }
new_db() {
    psql_db postgres -c "CREATE DATABASE $1"
    BMPMOND_DATABASE_URL=$(url "$1") "$BMPMOND" migrate >/dev/null
}

# CPU ticks (utime + stime) of one process, and of the postmaster and all its children but one.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
    local sum=0 p
    for p in $PM $(pgrep -P "$PM"); do
        [ "$p" = "${1:-}" ] && continue
        sum=$((sum + $(ticks "$p")))
    done
    echo $sum
}

# A long-lived psql session (coprocess) for polling: its backend is left out of the CPU figures.
mon_open() {
    coproc MON { "$PGBIN/psql" -X -q -A -t -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" 2>&1; }
    MON_BACKEND=$(mon_query "SELECT pg_backend_pid()")
}
# mon_get SQL: the last line of the answer in MON_OUT, without a subshell (the poll loop below runs
# 20 times a second on the box it measures: forks there cost the run about 5 % of the machine).
mon_get() { echo "$1;" >&"${MON[1]}"; echo "SELECT 'EOQ';" >&"${MON[1]}"; local line; MON_OUT=
    while read -r line <&"${MON[0]}"; do [ "$line" = EOQ ] && break; MON_OUT=$line; done; }
mon_query() { mon_get "$1"; echo "$MON_OUT"; }
mon_close() { echo '\q' >&"${MON[1]}"; wait "$MON_PID" 2>/dev/null || true; }

# --- the synthetic tables ----------------------------------------------------------------------
t=$(now)
for r in $(seq 0 $((ROUTERS - 1))); do
    dotnet "$BENCH_DLL" synthetic "$TMP/router$r.bmp" "$IPV4" "$IPV6" "$EVPN" "$r" "$ATTR_SETS" &
done
wait
: >"$OUT"
say "# bmpmond ingest bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $PGVERSION"
say "# per router: $IPV4 IPv4 + $IPV6 IPv6 + $EVPN EVPN type-2 = $PER_ROUTER routes, attribute sets: ${ATTR_SETS/#0/one per route}; table files written in $(calc "round($(now) - $t, 1)") s"
say "# server: fsync on, synchronous_commit on, shared_buffers 1GB, max_wal_size 8GB; bmpmond $("$BMPMOND" --version | awk '{print $2, $3}')"

# --- end to end ------------------------------------------------------------------------------
# e2e NAME ROUTERS: fresh database, fresh bmpmond, replay, wait until route_updates holds every row.
e2e() {
    local name=$1 routers=$2 db="e2e_$1" expected=$(($2 * PER_ROUTER)) files=()
    for r in $(seq 0 $((routers - 1))); do files+=("$TMP/router$r.bmp"); done
    new_db "$db"
    psql_db "$db" -c CHECKPOINT
    local lport; lport=$(free_port)
    BMPMOND_OUTPUT=postgres BMPMOND_DATABASE_URL=$(url "$db") BMPMOND_LISTEN=127.0.0.1:$lport BMPMOND_STATS_INTERVAL=3600 \
        env ${MAX_PENDING_MB:+BMPMOND_MAX_PENDING_MB=$MAX_PENDING_MB} "$BMPMOND" run >"$TMP/bmpmond-$name.log" 2>&1 &
    DAEMON_PID=$!
    for _ in $(seq 1 200); do ss -ltnH "sport = :$lport" | grep -q . && break; sleep 0.05; done
    mon_open "$db"
    local perf_pid=
    if [ "$PERF" != 0 ] && [ "$routers" = 1 ]; then
        if [ "$PERF" = system ]; then
            perf record -F 499 -a -o "$TMP/perf-$name.data" >/dev/null 2>&1 &
        else
            perf record -F 499 -g -p "$DAEMON_PID" -o "$TMP/perf-$name.data" >/dev/null 2>&1 &
        fi
        perf_pid=$!
        sleep 0.5
    fi
    local d0 p0 t0 t1 count
    mon_get "SELECT wal_bytes || ' ' || wal_fpi FROM pg_stat_wal"
    local wal0=$MON_OUT
    d0=$(ticks "$DAEMON_PID"); p0=$(pg_ticks "$MON_BACKEND")
    t0=$(now)
    "$BMPMOND" replay "${files[@]}" --to "127.0.0.1:$lport" >"$TMP/replay-$name.json" 2>&1 &
    local replay_pid=$! replay_ticks=0 stat tick
    # A pipe nobody writes to: read -t on it sleeps without starting a process.
    exec {tick}<> <(:)
    while true; do
        read -r -t 0.05 -u "$tick" _ || true
        if read -r -a stat <"/proc/$replay_pid/stat" 2>/dev/null; then replay_ticks=$((stat[13] + stat[14])); fi
        mon_get "SELECT last_value FROM bmpmon.route_updates_seq"
        [ "$MON_OUT" -ge "$expected" ] || continue
        t1=$(now)
        mon_get "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'"
        [ "$MON_OUT" = 0 ] || continue
        mon_get "SELECT count(*) FROM bmpmon.route_updates"
        count=$MON_OUT
        [ "$count" -ge "$expected" ] && break
        if ! kill -0 "$DAEMON_PID" 2>/dev/null; then echo "bmpmond died: $(tail -5 "$TMP/bmpmond-$name.log")" >&2; exit 1; fi
        [ $(($(date +%s) - STARTED)) -lt 540 ] || { echo "bench: over 9 minutes, giving up ($count of $expected rows)" >&2; exit 1; }
    done
    exec {tick}<&-
    mon_get "SELECT wal_bytes || ' ' || wal_fpi FROM pg_stat_wal"
    local wal1=$MON_OUT
    local d1 p1 hwm
    d1=$(ticks "$DAEMON_PID"); p1=$(pg_ticks "$MON_BACKEND")
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$DAEMON_PID/status")
    [ -n "$perf_pid" ] && kill -INT "$perf_pid" && wait "$perf_pid" 2>/dev/null || true
    wait "$replay_pid" || true
    local routes attrs
    routes=$(mon_query "SELECT count(*) FROM bmpmon.routes WHERE NOT is_withdrawn")
    attrs=$(mon_query "SELECT count(*) FROM bmpmon.path_attributes")
    mon_close
    kill "$DAEMON_PID"; wait "$DAEMON_PID" || true; DAEMON_PID=
    local secs; secs=$(calc "$t1 - $t0")
    E2E_RATE=$(calc "round($count / $secs)")
    say ""
    say "## end to end, $name: $routers router(s) streaming at once, $count route_updates rows ($expected sent), $routes current routes, $attrs attribute sets"
    say "elapsed (first byte to last row committed): $(calc "round($secs, 2)") s"
    say "routes/s: $E2E_RATE"
    say "cpu bmpmond: $(calc "round(($d1 - $d0) / $HZ, 2)") s ($(calc "round(($d1 - $d0) / $HZ / $secs * 100)") % of one core)"
    say "cpu postgres (all processes): $(calc "round(($p1 - $p0) / $HZ, 2)") s ($(calc "round(($p1 - $p0) / $HZ / $secs * 100)") % of one core)"
    say "cpu replay (the routers, same box): $(calc "round($replay_ticks / $HZ, 2)") s"
    say "bmpmond peak RSS (VmHWM): $(calc "round($hwm / 1024)") MB"
    say "WAL (whole server): $(calc "round((${wal1% *} - ${wal0% *}) / $count)") bytes per route, $(calc "${wal1#* } - ${wal0#* }") full-page images"
    say "replay: $(tr -d '\n' <"$TMP/replay-$name.json" | head -c 300)"
    say "writer: $(grep -h 'database_writer_time' "$TMP/bmpmond-$name.log" | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["message"])' 2>/dev/null || echo 'no database_writer_time line')"
}

e2e one 1
E2E_ONE=$E2E_RATE

# Pre-built rows for the ceiling: what the one-router run stored, as server-side binary files of
# 10,000 rows (the daemon's batch size), each loaded by its own COPY in its own transaction.
for table in path_attributes route_updates routes; do
    psql_db e2e_one -c "COPY (SELECT * FROM bmpmon.$table) TO '$TMP/copy/$table.bin' (FORMAT binary)"
    dotnet "$BENCH_DLL" copy-split "$TMP/copy/$table.bin" 10000 "$TMP/copy/$table" >/dev/null
    rm "$TMP/copy/$table.bin"
done
chmod -R a+r "$TMP/copy"
psql_db postgres -c "DROP DATABASE e2e_one"

# copy_load DB TABLE: loads the chunks of TABLE, prints "seconds postgres_cpu_seconds rows".
copy_load() {
    local db=$1 table=$2 f
    : >"$TMP/load.sql"
    for f in "$TMP/copy/$table".[0-9]*; do echo "COPY bmpmon.$table FROM '$f' (FORMAT binary);" >>"$TMP/load.sql"; done
    psql_db "$db" -c "TRUNCATE bmpmon.$table" -c CHECKPOINT
    mon_open "$db"
    local p0 t0 t1 p1
    p0=$(pg_ticks); t0=$(now)
    mon_query "\\i $TMP/load.sql" >/dev/null
    t1=$(now); p1=$(pg_ticks)
    local rows; rows=$(mon_query "SELECT count(*) FROM bmpmon.$table")
    mon_close
    echo "$(calc "$t1 - $t0") $(calc "($p1 - $p0) / $HZ") $rows"
}

say ""
say "## COPY ceiling: the stored rows COPYed back into a fresh schema (same tables, same indexes), 10,000 rows per COPY and transaction, server-side binary files"
new_db ceiling
total=0
for table in path_attributes route_updates routes; do
    read -r secs cpu rows < <(copy_load ceiling "$table")
    total=$(calc "$total + $secs")
    say "$table: $rows rows in $(calc "round($secs, 2)") s = $(calc "round($rows / $secs)") rows/s, postgres cpu $(calc "round($cpu, 2)") s"
    [ "$table" = route_updates ] && CEILING_RU=$(calc "round($rows / $secs)") && RU_ROWS=$rows
done
CEILING_ALL=$(calc "round($RU_ROWS / $total)")
say "ceiling, route_updates alone: $CEILING_RU rows/s; all three tables (what a route costs stored: attributes + history + current state): $CEILING_ALL routes/s"
say "ratio end to end / ceiling (one router): $(calc "round($E2E_ONE / $CEILING_RU * 100, 1)") % of route_updates alone, $(calc "round($E2E_ONE / $CEILING_ALL * 100, 1)") % of all three tables"

if [ "$INDEX_COSTS" = 1 ]; then
    say ""
    say "## index costs at COPY (route_updates rows/s with no secondary index, then with each alone; other tables likewise)"
    mapfile -t ru_indexes < <(psql_db ceiling -c "SELECT indexname || '|' || replace(indexdef, ' ON ONLY ', ' ON ') FROM pg_indexes WHERE schemaname = 'bmpmon' AND tablename = 'route_updates' ORDER BY indexname")
    for entry in "${ru_indexes[@]}"; do psql_db ceiling -c "DROP INDEX bmpmon.${entry%%|*}"; done
    read -r secs cpu rows < <(copy_load ceiling route_updates)
    say "route_updates, no index: $(calc "round($rows / $secs)") rows/s (postgres cpu $(calc "round($cpu / $rows * 1e6, 2)") µs/row)"
    for entry in "${ru_indexes[@]}"; do
        psql_db ceiling -c "${entry#*|}"
        read -r secs cpu rows < <(copy_load ceiling route_updates)
        say "route_updates + ${entry%%|*} alone: $(calc "round($rows / $secs)") rows/s (postgres cpu $(calc "round($cpu / $rows * 1e6, 2)") µs/row)"
        psql_db ceiling -c "DROP INDEX bmpmon.${entry%%|*}"
    done
    psql_db ceiling -c "DROP INDEX bmpmon.path_attributes_as_path"
    read -r secs cpu rows < <(copy_load ceiling path_attributes)
    say "path_attributes without the GIN on as_path: $(calc "round($rows / $secs)") rows/s (postgres cpu $(calc "round($cpu / $rows * 1e6, 2)") µs/row)"
    psql_db ceiling -c "DROP INDEX bmpmon.routes_prefix" -c "DROP INDEX bmpmon.routes_mac"
    read -r secs cpu rows < <(copy_load ceiling routes)
    say "routes with its primary key only: $(calc "round($rows / $secs)") rows/s (postgres cpu $(calc "round($cpu / $rows * 1e6, 2)") µs/row)"
fi
psql_db postgres -c "DROP DATABASE ceiling"

if [ "$ROUTERS" -gt 1 ]; then
    e2e "$ROUTERS"routers "$ROUTERS"
    say "ratio end to end / ceiling ($ROUTERS routers): $(calc "round($E2E_RATE / $CEILING_RU * 100, 1)") % of route_updates alone, $(calc "round($E2E_RATE / $CEILING_ALL * 100, 1)") % of all three tables"
fi

if [ "$PERF" = 1 ] && [ -f "$TMP/perf-one.data" ]; then
    say ""
    say "## perf: bmpmond, one router, top symbols (self)"
    perf report -i "$TMP/perf-one.data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15 | awk '{print $1, $2, $3}' | tee -a "$OUT"
elif [ "$PERF" = system ] && [ -f "$TMP/perf-one.data" ]; then
    say ""
    say "## perf: the whole box during the one-router run, by process, then PostgreSQL's top functions (self)"
    perf report -i "$TMP/perf-one.data" --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -8 | tee -a "$OUT"
    perf report -i "$TMP/perf-one.data" --comm postgres --sort dso,symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40 | tee -a "$OUT"
fi
say ""
say "# bench done in $(($(date +%s) - STARTED)) s"
