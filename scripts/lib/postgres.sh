# shellcheck shell=bash
# PostgreSQL 15 helpers shared by scripts/test.sh and scripts/run.sh (sourced, not run).

PG_BINDIR="${BMPMON_PG_BINDIR:-/usr/lib/postgresql/15/bin}"

pg_log() { echo "[postgres] $*" >&2; }

# Makes sure the PostgreSQL 15 server binaries exist. As root, installs Debian's postgresql-15 when
# missing (quietly, no recommends), then stops the distribution's default cluster that the package
# may have created and started on port 5432, and sets it to manual start: bmpmon's tests and its run
# command start their own servers. Not root and missing: fail, saying how to install.
ensure_postgres15() {
  if [[ -x "$PG_BINDIR/initdb" && -x "$PG_BINDIR/pg_ctl" && -x "$PG_BINDIR/psql" ]]; then
    return 0
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    pg_log "PostgreSQL 15 server binaries not found in $PG_BINDIR."
    pg_log "Install them with: sudo apt-get install -y --no-install-recommends postgresql-15"
    pg_log "(or run this script as root and it installs them itself)."
    return 1
  fi
  pg_log "installing postgresql-15 (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
  if [[ ! -x "$PG_BINDIR/initdb" ]]; then
    pg_log "postgresql-15 was installed but $PG_BINDIR/initdb is missing"
    return 1
  fi
  disable_default_cluster
}

# The package's 15/main cluster (if it created one): stop it and keep it from starting at boot.
disable_default_cluster() {
  local conf=/etc/postgresql/15/main
  [[ -d "$conf" ]] || return 0
  if command -v pg_ctlcluster >/dev/null && pg_ctlcluster 15 main status >/dev/null 2>&1; then
    pg_log "stopping the package's default cluster 15/main (port 5432): bmpmon runs its own servers"
    pg_ctlcluster 15 main stop || pg_log "warning: could not stop cluster 15/main"
  fi
  if [[ -f "$conf/start.conf" ]]; then
    sed -i -E 's/^[[:space:]]*auto\b/manual/' "$conf/start.conf"
  fi
}

# Runs a command as the postgres user when root, else as the current user.
as_pg_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
