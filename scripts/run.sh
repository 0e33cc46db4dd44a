#!/usr/bin/env bash
# Starts bmpmond on its main job: `bmpmond run` in the foreground, routers connect on port 11019
# (BMPMOND_LISTEN), routes and events go to PostgreSQL (BMPMOND_OUTPUT=postgres).
#
# When no database is configured (BMPMOND_DATABASE_URL neither in the environment nor in the .env
# file bmpmond would read), it sets up a local one itself:
#   - installs Debian's postgresql-15 when missing (as root; see scripts/lib/postgres.sh);
#   - creates a cluster in ./data/postgres/cluster (gitignored) with initdb, owned by and run as the
#     `postgres` user when root; passwords (scram) in ./data/postgres/*.password, mode 600;
#   - starts it on 127.0.0.1:$BMPMON_PG_PORT (default 55432; TCP on loopback only, no unix socket),
#     log in ./data/postgres/server.log;
#   - creates the role and database `bmpmon` and exports
#     BMPMOND_DATABASE_URL=postgres://bmpmon:...@127.0.0.1:55432/bmpmon.
# Running it again reuses the cluster (and starts it if it is down).
#
# bmpmond replaces this script's process (exec): Ctrl-C / SIGTERM reach bmpmond directly and its
# exit status is the script's. The PostgreSQL cluster is LEFT RUNNING on exit, so restarting bmpmond
# does not bounce the database; stop it with `./scripts/run.sh --stop-postgres`.
#
# Arguments are passed to `bmpmond run` (e.g. --env-file PATH). The binary is the Native AOT build
# in ./artifacts/bmpmond, published again when a source file is newer than it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
# PG* variables of the caller (PGHOST, PGPORT, PGOPTIONS...) must not redirect the tools used here.
for variable in $(compgen -v PG); do unset "$variable"; done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

PG_HOME="${BMPMON_PG_HOME:-$ROOT/data/postgres}"
PG_DATA="$PG_HOME/cluster"
PG_PORT="${BMPMON_PG_PORT:-55432}"
PG_LOGFILE="$PG_HOME/server.log"
SUPERUSER_PASSWORD_FILE="$PG_HOME/superuser.password"
BMPMON_PASSWORD_FILE="$PG_HOME/bmpmon.password"
BIN_DIR="$ROOT/artifacts/bmpmond"
BIN="$BIN_DIR/bmpmond"

log() { echo "[run.sh] $*" >&2; }

pg_ctl_cmd() { as_pg_owner "$PG_BINDIR/pg_ctl" -D "$PG_DATA" "$@"; }

# psql as the superuser over TCP on loopback; SQL on stdin (never on the command line).
admin_psql() {
  PGPASSWORD="$(cat "$SUPERUSER_PASSWORD_FILE")" "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

new_password() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

# Whether setting $1 is given: in the environment, or in the .env file bmpmond reads
# (--env-file PATH, else ./.env, else /etc/bmpmond/bmpmond.env). The rest are bmpmond's arguments.
configured() {
  local name="$1"
  shift
  [[ -n "${!name:-}" ]] && return 0
  local env_file="" previous=""
  for argument in "$@"; do
    [[ "$previous" == "--env-file" ]] && env_file="$argument"
    [[ "$argument" == --env-file=* ]] && env_file="${argument#--env-file=}"
    previous="$argument"
  done
  if [[ -z "$env_file" ]]; then
    if [[ -f .env ]]; then env_file=.env; elif [[ -f /etc/bmpmond/bmpmond.env ]]; then env_file=/etc/bmpmond/bmpmond.env; fi
  fi
  [[ -n "$env_file" && -f "$env_file" ]] && grep -Eq "^[[:space:]]*(export[[:space:]]+)?$name=[^[:space:]#]" "$env_file"
}

create_cluster() {
  log "creating a PostgreSQL 15 cluster in $PG_DATA"
  mkdir -p "$PG_HOME"
  chmod 700 "$PG_HOME"
  [[ -f "$SUPERUSER_PASSWORD_FILE" ]] || (umask 077 && new_password >"$SUPERUSER_PASSWORD_FILE")
  if [[ "$(id -u)" -eq 0 ]]; then
    chown -R postgres:postgres "$PG_HOME"
    if ! runuser -u postgres -- test -w "$PG_HOME"; then
      log "the postgres user cannot reach $PG_HOME (a parent folder is closed to it)."
      log "Set BMPMON_PG_HOME to a folder it can reach, e.g. BMPMON_PG_HOME=/var/lib/bmpmon/postgres."
      exit 1
    fi
  fi
  as_pg_owner "$PG_BINDIR/initdb" -D "$PG_DATA" -U postgres --pwfile="$SUPERUSER_PASSWORD_FILE" \
    --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  # Loopback TCP only; no unix socket (the project path may exceed the socket path limit, and no
  # other local user should reach this server through one). pg_hba: password logins from 127.0.0.1.
  as_pg_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null <<'CONF'

# bmpmon (scripts/run.sh): ingest-friendly settings from ../shared/notes/pg-ingest.md; durable.
include_if_exists = 'bmpmon.conf'
shared_buffers = 1GB
max_wal_size = 8GB
checkpoint_timeout = 15min
unix_socket_directories = ''
CONF
  as_pg_owner tee "$PG_DATA/pg_hba.conf" >/dev/null <<'HBA'
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  scram-sha-256
HBA
}

# The listen address and port are rewritten every run, so BMPMON_PG_PORT can change between runs.
write_listen_settings() {
  printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$PG_PORT" | as_pg_owner tee "$PG_DATA/bmpmon.conf" >/dev/null
}

start_cluster() {
  if [[ "$(id -u)" -eq 0 && "$(stat -c %U "$PG_DATA")" != postgres ]]; then
    log "fixing ownership of $PG_HOME (postgres)"
    chown -R postgres:postgres "$PG_HOME"
  fi
  write_listen_settings
  if pg_ctl_cmd status >/dev/null 2>&1; then
    local running_port
    running_port="$(sed -n 4p "$PG_DATA/postmaster.pid")"
    if [[ "$running_port" != "$PG_PORT" ]]; then
      log "PostgreSQL is running on port $running_port; restarting it on $PG_PORT"
      pg_ctl_cmd restart -w -t 120 -m fast -l "$PG_LOGFILE" >/dev/null
    else
      log "PostgreSQL already running on 127.0.0.1:$PG_PORT (reusing it)"
    fi
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
      log "127.0.0.1:$PG_PORT is already taken by another program; choose another port with BMPMON_PG_PORT=..."
      exit 1
    fi
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT (log: $PG_LOGFILE)"
    if ! pg_ctl_cmd start -w -t 120 -l "$PG_LOGFILE" >/dev/null; then
      log "PostgreSQL did not start; the end of $PG_LOGFILE:"
      tail -n 20 "$PG_LOGFILE" >&2 || true
      exit 1
    fi
  fi
}

create_database() {
  [[ -f "$BMPMON_PASSWORD_FILE" ]] || (umask 077 && new_password >"$BMPMON_PASSWORD_FILE")
  local password
  password="$(cat "$BMPMON_PASSWORD_FILE")"
  # The role and its password are (re)applied every run; the password is alphanumeric (no quoting issue).
  admin_psql -f - <<SQL
SELECT 'CREATE ROLE bmpmon LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bmpmon')
\gexec
ALTER ROLE bmpmon PASSWORD '$password';
SELECT 'CREATE DATABASE bmpmon OWNER bmpmon' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'bmpmon')
\gexec
SQL
  export BMPMOND_DATABASE_URL="postgres://bmpmon:$password@127.0.0.1:$PG_PORT/bmpmon"
  log "database ready: postgres://bmpmon:***@127.0.0.1:$PG_PORT/bmpmon (password in $BMPMON_PASSWORD_FILE)"
}

setup_local_postgres() {
  ensure_postgres15
  [[ -f "$PG_DATA/PG_VERSION" ]] || create_cluster
  start_cluster
  create_database
}

stop_local_postgres() {
  if [[ -f "$PG_DATA/PG_VERSION" ]] && pg_ctl_cmd status >/dev/null 2>&1; then
    pg_ctl_cmd stop -w -m fast
  else
    log "no local PostgreSQL running in $PG_DATA"
  fi
}

# Publishes the Native AOT binary when it is missing or older than a source or build file.
build_if_needed() {
  if [[ -x "$BIN" ]] && [[ -z "$(find src Directory.Build.props Directory.Packages.props global.json \
    -newer "$BIN" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) -print -quit)" ]]; then
    return 0
  fi
  log "publishing bmpmond (Release, Native AOT) to $BIN_DIR"
  dotnet publish src/bmpmond/bmpmond.csproj -c Release -r linux-x64 -o "$BIN_DIR" -nologo -v q >&2
  touch "$BIN"
}

if [[ "${1:-}" == "--stop-postgres" ]]; then
  stop_local_postgres
  exit 0
fi

if configured BMPMOND_DATABASE_URL "$@"; then
  log "using the configured BMPMOND_DATABASE_URL"
else
  setup_local_postgres
fi
configured BMPMOND_OUTPUT "$@" || export BMPMOND_OUTPUT=postgres

build_if_needed
log "starting bmpmond run (Ctrl-C or SIGTERM stops it; PostgreSQL keeps running)"
exec "$BIN" run "$@"
