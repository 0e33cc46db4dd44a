#!/usr/bin/env bash
# The whole test suite: build with warnings as errors, check formatting, run every test.
# This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The storage tests start their own throwaway PostgreSQL 15 servers (tests/Bmpmon.Tests/Postgres):
# install the server binaries when missing (as root; CI runs as root on a fresh Debian 12).
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
ensure_postgres15

dotnet build bmpmond.sln -c Release -nologo -v q
dotnet format bmpmond.sln --verify-no-changes --no-restore -v q
dotnet test tests/Bmpmon.Tests/Bmpmon.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" "$@"
