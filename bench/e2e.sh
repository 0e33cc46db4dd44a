#!/usr/bin/env bash
# End-to-end decode bench (issue 4, "Speed and memory"): the synthetic full table replayed over
# loopback into the Native AOT bmpmond with BMPMOND_OUTPUT=null and with jsonl, and into pmacct's
# pmbmpd (the peer collector, Debian package `pmacct`) parse-only and with its JSON message log, in
# the same run, alternating, RUNS rounds. pmbmpd is the baseline: the box is shared and noisy, so
# the ratios to it are the figures that travel; the absolute ones are for this run only.
#
#   bench/e2e.sh               # builds what is missing, installs pmacct when root, a few minutes
#
# Per run: a fresh collector on a free 127.0.0.1 port; time from exec to the port accepting (a
# connect() polled without forking); `bmpmond replay` sends the table on ROUTERS connections; the
# run ends when the collector has logged the end of every replay connection (it has then read and
# decoded everything) and, for bmpmond, when it has exited after SIGTERM (it drains its queue into
# the output first); pmbmpd's time stops at the end of the connection (see run below), which
# favours it. routes/s = routes sent / that time. CPU seconds
# (utime + stime) and peak RSS (VmHWM) are the collector's, read just before SIGTERM. The JSON
# outputs are written to files in the temp folder and their lines counted, so a collector that
# loses routes cannot look fast.
#
# Settings (environment): IPV4 (1000000) IPV6 (200000) routes, FRR-style one NLRI per message;
# ROUTERS (1: replay connections at once, each the whole table); RUNS (3); BMPMOND
# (artifacts/bench/bmpmond, published when missing); PMBMPD (pmbmpd on PATH; installed with apt-get
# when root and missing; NOPMACCT=1 skips it); OUT (bench/e2e-last.txt); KEEP=1 keeps the temp folder.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
IPV4=${IPV4:-1000000}
IPV6=${IPV6:-200000}
ROUTERS=${ROUTERS:-1}
RUNS=${RUNS:-3}
OUT=${OUT:-$ROOT/bench/e2e-last.txt}
BMPMOND=${BMPMOND:-$ROOT/artifacts/bench/bmpmond}
BENCH_DLL=$ROOT/bench/Bmpmon.Bench/bin/Release/net10.0/Bmpmon.Bench.dll
ROUTES=$(((IPV4 + IPV6) * ROUTERS))
HZ=$(getconf CLK_TCK)
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { echo "$*" | tee -a "$OUT"; }
calc() { python3 -c "print($1)"; }
micros() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ ! -x "$BMPMOND" ]; then
    dotnet publish "$ROOT/src/bmpmond" -c Release -r linux-x64 -o "$(dirname "$BMPMOND")" >/dev/null
fi
if [ ! -f "$BENCH_DLL" ]; then
    dotnet build "$ROOT/bench/Bmpmon.Bench" -c Release >/dev/null
fi
PMBMPD=${PMBMPD:-$(command -v pmbmpd || true)}
if [ -z "$PMBMPD" ] && [ "${NOPMACCT:-0}" != 1 ] && [ "$(id -u)" = 0 ]; then
    apt-get install -y pmacct >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y pmacct >/dev/null 2>&1; } || true
    PMBMPD=$(command -v pmbmpd || true)
fi
[ "${NOPMACCT:-0}" = 1 ] && PMBMPD=
[ -n "$PMBMPD" ] || echo "e2e.sh: no pmbmpd (apt-get install -y pmacct, as root): bmpmond only, no ratios" >&2

TMP=$(mktemp -d /tmp/bmpmon-e2e-XXXXXX)
PID=
cleanup() {
    set +e
    [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ "${KEEP:-0}" = 1 ] || rm -rf "$TMP"
}
trap cleanup EXIT

dotnet "$BENCH_DLL" synthetic "$TMP/table.bmp" "$IPV4" "$IPV6"
BYTES=$(stat -c %s "$TMP/table.bmp")
: >"$OUT"
say "# bmpmond end-to-end bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uname -sr)"
say "# $IPV4 IPv4 + $IPV6 IPv6 routes, one NLRI per Route Monitoring message ($BYTES bytes), on $ROUTERS connection(s) at once: $ROUTES routes per run; $RUNS rounds"
say "# bmpmond $("$BMPMOND" --version | awk '{print $2, $3}'); ${PMBMPD:+$("$PMBMPD" -V 2>&1 | head -1)}"

# The lines a collector logs when a replay connection has ended, and how to start it.
#   collector NAME: sets CMD (argv), LOG (its log file), DONE (an extended regex, one match per
#   ended connection), JSON (the file its JSON output goes to, or empty).
collector() {
    local name=$1 port=$2
    LOG=$TMP/$name.log JSON=
    case $name in
        bmpmond-null | bmpmond-jsonl)
            local output=null
            [ "$name" = bmpmond-jsonl ] && { JSON=$TMP/$name.json; output=jsonl:$JSON; }
            CMD=(env "BMPMOND_LISTEN=127.0.0.1:$port" "BMPMOND_OUTPUT=$output" BMPMOND_STATS_INTERVAL=3600 "$BMPMOND" run)
            DONE='"event":"router_disconnected"'
            ;;
        pmbmpd-parse | pmbmpd-json)
            {
                echo "bmp_daemon_ip: 127.0.0.1"
                echo "bmp_daemon_port: $port"
                echo "bmp_daemon_max_peers: $((ROUTERS + 8))"
                echo "logfile: $LOG"
                if [ "$name" = pmbmpd-json ]; then
                    JSON=$TMP/$name.json
                    echo "bmp_daemon_msglog_file: $JSON"
                    echo "bmp_daemon_msglog_output: json"
                fi
            } >"$TMP/$name.conf"
            CMD=("$PMBMPD" -f "$TMP/$name.conf")
            DONE='BMP connection reset by peer|BMP connection closed'
            ;;
    esac
}

# ended N: waits until the collector's log holds N lines matching DONE, reading it through the
# descriptor LOGFD without starting a process (a grep 200 times a second would cost the box it
# measures); fails when the collector dies or after 10 minutes.
ended() {
    local line
    while ((SEEN < $1)); do
        if IFS= read -r line <&"$LOGFD"; then
            [[ $PARTIAL$line =~ $DONE ]] && SEEN=$((SEEN + 1))
            PARTIAL=
            continue
        fi
        PARTIAL+=$line
        kill -0 "$PID" 2>/dev/null || { echo "e2e.sh: collector died: $(tail -3 "$LOG")" >&2; exit 1; }
        (($(micros) - START < 600000000)) || { echo "e2e.sh: collector still busy after 10 minutes" >&2; exit 1; }
        read -r -t 0.002 -u "$TICK" _ || true
    done
}

# One run: appends "seconds routes_per_s cpu_s peak_rss_kib ready_ms json_lines" to $TMP/NAME.runs.
run() {
    local name=$1 port ready t0 t1 ticks hwm lines=0
    port=$(free_port)
    collector "$name" "$port"
    rm -f "$LOG" ${JSON:+"$JSON"}
    : >"$LOG"
    exec {LOGFD}<"$LOG"
    SEEN=0 PARTIAL= START=$(micros)
    "${CMD[@]}" >>"$LOG" 2>&1 &
    PID=$!
    until { : <>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; do
        kill -0 "$PID" 2>/dev/null || { echo "e2e.sh: $name exited before accepting: $(tail -3 "$LOG")" >&2; exit 1; }
        (($(micros) - START < 30000000)) || { echo "e2e.sh: $name never accepted" >&2; exit 1; }
    done
    ready=$(micros)
    # The probe above was one connection: wait for its end too, so it is not mistaken for the replay's.
    ended 1
    if [ "${2:-}" = warm-up ]; then
        kill -KILL "$PID"; wait "$PID" 2>/dev/null || true; PID=
        exec {LOGFD}<&-
        return
    fi
    t0=$(micros)
    "$BMPMOND" replay "$TMP/table.bmp" --to "127.0.0.1:$port" --connections "$ROUTERS" >"$TMP/replay.json" 2>&1 &
    local replay=$!
    ended $((ROUTERS + 1))
    read -r -a stat <"/proc/$PID/stat"
    ticks=$((stat[13] + stat[14]))
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$PID/status")
    if [[ $name == bmpmond-* ]]; then
        kill -TERM "$PID"
        wait "$PID" || { echo "e2e.sh: $name exited non-zero after SIGTERM: $(tail -3 "$LOG")" >&2; exit 1; }
        t1=$(micros)
    else
        # pmbmpd ignores SIGTERM and takes seconds to act on SIGINT: its exit is left out of its
        # time. It writes its JSON log from the thread that reads the socket, so at the end of the
        # connection everything is written but what stdio still buffers.
        t1=$(micros)
        kill -INT "$PID"
        local deadline=$((t1 + 30000000))
        while kill -0 "$PID" 2>/dev/null && (($(micros) < deadline)); do read -r -t 0.05 -u "$TICK" _ || true; done
        kill -KILL "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    PID=
    exec {LOGFD}<&-
    wait "$replay" || { echo "e2e.sh: replay failed: $(cat "$TMP/replay.json")" >&2; exit 1; }
    [ -n "$JSON" ] && { lines=$(wc -l <"$JSON"); rm -f "$JSON"; }
    local secs=$(((t1 - t0) / 1000))
    echo "$(calc "$secs / 1000") $(calc "round($ROUTES / $secs * 1000)") $(calc "round($ticks / $HZ, 2)") $hwm $(calc "round(($ready - $START) / 1000, 1)") $lines" >>"$TMP/$name.runs"
}

# Median (min-max) of column $1 of the lines on stdin; median alone with -m.
stats() { sort -g -k"$1","$1" | awk -v c="$1" '{v[NR]=$c} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%s (%s-%s)", m, v[1], v[NR]}'; }
median() { sort -g -k"$1","$1" | awk -v c="$1" '{v[NR]=$c} END {print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}'; }

# A pipe nobody writes to: read -t on it sleeps without starting a process.
exec {TICK}<> <(:)
NAMES=(bmpmond-null bmpmond-jsonl)
[ -n "$PMBMPD" ] && NAMES=(bmpmond-null pmbmpd-parse bmpmond-jsonl pmbmpd-json)
# One start of each first, unrecorded: the first exec of a binary pays for the page cache.
for name in "${NAMES[@]}"; do run "$name" warm-up; done
for round in $(seq 1 "$RUNS"); do
    for name in "${NAMES[@]}"; do
        run "$name"
        echo "round $round $name: $(tail -1 "$TMP/$name.runs")" >&2
    done
done

say ""
say "median (min-max) of $RUNS runs each, alternating"
printf '%-14s %-28s %-26s %-22s %-26s %-22s %s\n' collector seconds routes/s "cpu s" "peak RSS KiB" "exec->accept ms" "json lines" | tee -a "$OUT"
for name in "${NAMES[@]}"; do
    f=$TMP/$name.runs
    printf '%-14s %-28s %-26s %-22s %-26s %-22s %s\n' "$name" "$(stats 1 <"$f")" "$(stats 2 <"$f")" "$(stats 3 <"$f")" \
        "$(stats 4 <"$f")" "$(stats 5 <"$f")" "$(stats 6 <"$f")" | tee -a "$OUT"
done

say ""
say "targets: null >= 500,000 routes/s; jsonl >= 3x pmbmpd's JSON log; peak RSS <= 100 MB; exec to accepting <= 50 ms"
say "bmpmond null: $(median 2 <"$TMP/bmpmond-null.runs") routes/s, peak RSS $(calc "round($(median 4 <"$TMP/bmpmond-null.runs") / 1024, 1)") MiB, accepting after $(median 5 <"$TMP/bmpmond-null.runs") ms"
say "bmpmond jsonl: $(median 2 <"$TMP/bmpmond-jsonl.runs") routes/s, peak RSS $(calc "round($(median 4 <"$TMP/bmpmond-jsonl.runs") / 1024, 1)") MiB, $(median 6 <"$TMP/bmpmond-jsonl.runs") lines for $ROUTES routes"
if [ -n "$PMBMPD" ]; then
    # Ratios per round (each pair ran back to back), then their median.
    ratio() { paste -d' ' "$TMP/$1.runs" "$TMP/$2.runs" | awk '{printf "%.2f\n", $2 / $8}' | sort -g | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.2fx (%s-%s)", m, v[1], v[NR]}'; }
    say "bmpmond null / pmbmpd parse-only, routes/s: $(ratio bmpmond-null pmbmpd-parse)"
    say "bmpmond jsonl / pmbmpd JSON log, routes/s: $(ratio bmpmond-jsonl pmbmpd-json)"
    say "pmbmpd JSON log: $(median 6 <"$TMP/pmbmpd-json.runs") lines for $ROUTES routes (its init and peer_up events and per-connection log_init and log_close lines included)"
fi
