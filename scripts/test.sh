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
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet test tests/Bmpmon.Tests/Bmpmon.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?

# One plain closing line, whatever the runner printed above it.
trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  # The failures again, last, so a log cut to its tail still names them (and why).
  awk '
    /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); failed = 1; next }
    failed && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print "FAILED " name ": " substr($0, 1, 400); failed = 0 }
  ' "$trx"
  echo "tests: $(count passed) passed, $(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) )) failed, $(count notExecuted) skipped"
fi
exit "$status"
