#!/usr/bin/env bash
# Footprint of bmpmond run: binary size, time from exec to the BMP port accepting, idle RSS, and
# time from SIGTERM to exit; the Native AOT binary next to the same code under the JIT
# (`dotnet bmpmond.dll run`). Each build is started RUNS times (default 10, after one warm-up
# start) on a free loopback port, first with BMPMOND_OUTPUT=null, then with the default
# BMPMOND_OUTPUT=postgres connected to a throwaway PostgreSQL 15 started here (initdb in a temp
# folder, 127.0.0.1, trust; as `postgres` when root; schema migrated before the first start, so
# each start connects, finds the schema current and ensures its partitions, as a restart does).
# NOPG=1 skips the PostgreSQL part. Medians and ranges are printed.
#
#   bench/startup.sh [AOT_BINARY] [JIT_DLL]
#
# Defaults: artifacts/publish/linux-x64/bmpmond (scripts/package.sh builds it) and
# src/bmpmond/bin/Release/net10.0/bmpmond.dll (built here when missing). The time to accept is
# measured from just before the fork to the first accepted connect() (bash /dev/tcp, polled
# without forking), so it includes fork+exec. RSS is read from /proc/PID/status 1 s after the
# port accepts, with nothing connected: VmRSS (now) and VmHWM (peak so far).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 LC_ALL=C
runs=${RUNS:-10}
aot=${1:-artifacts/publish/linux-x64/bmpmond}
jit=${2:-src/bmpmond/bin/Release/net10.0/bmpmond.dll}

[[ -x $aot ]] || { echo "startup.sh: $aot missing: run scripts/package.sh first" >&2; exit 1; }
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
if [[ ! -f $jit ]]; then
  dotnet build src/bmpmond/bmpmond.csproj -c Release -nologo -v q >/dev/null
fi

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    { : <>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || { echo "$port"; return; }
  done
}

micros() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# One start: prints "accept_ms rss_kib hwm_kib stop_ms".
measure() {
  local port start pid accepted rss hwm stopped deadline
  port=$(free_port)
  start=$(micros)
  local settings=("BMPMOND_LISTEN=127.0.0.1:$port" "BMPMOND_OUTPUT=$output" BMPMOND_STATS_INTERVAL=3600)
  [[ -n $database_url ]] && settings+=("BMPMOND_DATABASE_URL=$database_url")
  env "${settings[@]}" "$@" >/dev/null 2>&1 & # env execs the program: $! is bmpmond
  pid=$!
  deadline=$((start + 30000000))
  until { : <>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "startup.sh: $* exited before accepting" >&2; return 1; }
    (($(micros) < deadline)) || { kill -KILL "$pid"; echo "startup.sh: $* never accepted" >&2; return 1; }
  done
  accepted=$(micros)
  sleep 1
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
  stopped=$(micros)
  kill -TERM "$pid"
  wait "$pid" || { echo "startup.sh: $* exited non-zero after SIGTERM" >&2; return 1; }
  echo "$(((accepted - start) / 1000)).$(((accepted - start) % 1000 / 100)) $rss $hwm $((($(micros) - stopped) / 1000))"
}

# Median and range of column $1 of the lines on stdin.
stats() { sort -n -k"$1","$1" | awk -v c="$1" '{v[NR]=$c} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%s (%s-%s)", m, v[1], v[NR]}'; }
median() { sort -n -k"$1","$1" | awk -v c="$1" '{v[NR]=$c} END {print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}'; }

bench() {
  local name=$1; shift
  measure "$@" >/dev/null # warm-up: page cache, first-run JIT caches
  local i out=""
  for ((i = 0; i < runs; i++)); do out+="$(measure "$@")"$'\n'; done
  printf '%s' "$out" >"$tmp/$name"
}

tmp=$(mktemp -d)
chmod 755 "$tmp"
runas=()
[[ $(id -u) == 0 ]] && runas=(runuser -u postgres --)
cleanup() {
  [[ -f $tmp/pg/postmaster.pid ]] && "${runas[@]}" "$pgbin/pg_ctl" stop -D "$tmp/pg" -m immediate -w >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

output=null database_url=
bench aot "$aot" run
bench jit dotnet "$jit" run

pg=0
if [[ ${NOPG:-0} != 1 && -x $pgbin/initdb ]]; then
  pg=1
  pgport=$(free_port)
  mkdir -p "$tmp/pg"
  ((${#runas[@]})) && chown postgres:postgres "$tmp/pg"
  "${runas[@]}" "$pgbin/initdb" -D "$tmp/pg" -U postgres -A trust -E UTF8 --locale=C --no-instructions >/dev/null
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" "$pgport" "$tmp/pg" >>"$tmp/pg/postgresql.conf"
  "${runas[@]}" "$pgbin/pg_ctl" start -D "$tmp/pg" -l "$tmp/pg/server.log" -w -t 60 >/dev/null
  "$pgbin/psql" -X -q -h 127.0.0.1 -p "$pgport" -U postgres -c "CREATE DATABASE bmpmon" postgres
  output=postgres database_url=postgres://postgres@127.0.0.1:$pgport/bmpmon
  BMPMOND_DATABASE_URL=$database_url "$aot" migrate >/dev/null
  bench aot_pg "$aot" run
  bench jit_pg dotnet "$jit" run
fi

aot_size=$(stat -c %s "$aot")
jit_dir=$(dirname "$jit")
jit_size=$(du -cb "$jit_dir"/*.dll | tail -1 | cut -f1)
runtime_dir=$(dirname "$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App / {v=$2; p=$3} END {gsub(/[][]/, "", p); print p "/" v "/x"}')")
runtime_size=$(du -sb "$runtime_dir" | cut -f1)

mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b / 1048576}'; }
kib_mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
echo "bmpmond startup footprint, $runs runs each after one warm-up: median (min-max)"
echo "machine: $(nproc) cores, $(uname -sr), $(dotnet --version | sed 's/^/.NET SDK /')"
printf '%-30s %-26s %-38s %s\n' measure "Native AOT" "JIT (dotnet bmpmond.dll)" "JIT / AOT"
printf '%-30s %-26s %-38s %s\n' "on disk" "$(mib "$aot_size") (one file)" "$(mib "$jit_size") dlls + $(mib "$runtime_size") runtime" \
  "$(awk -v a="$aot_size" -v j="$jit_size" -v r="$runtime_size" 'BEGIN {printf "%.1fx", (j + r) / a}')"
row() {
  local label=$1 col=$2 unit=$3 a j
  a=$(median "$col" <"$tmp/$aot_run") j=$(median "$col" <"$tmp/$jit_run")
  printf '%-30s %-26s %-38s %s\n' "$label" "$(stats "$col" <"$tmp/$aot_run") $unit" "$(stats "$col" <"$tmp/$jit_run") $unit" \
    "$(awk -v a="$a" -v j="$j" 'BEGIN {printf (a > 0 ? "%.1fx" : "-"), j / a}')"
}
rows() {
  aot_run=$1 jit_run=$2
  echo "$3"
  row "  exec to port accepting" 1 ms
  row "  idle RSS (VmRSS, 1 s after)" 2 KiB
  row "  peak RSS (VmHWM)" 3 KiB
  row "  SIGTERM to exit" 4 ms
}
rows aot jit "BMPMOND_OUTPUT=null"
((pg)) && rows aot_pg jit_pg "BMPMOND_OUTPUT=postgres ($("$pgbin/postgres" --version), 127.0.0.1)"
true
