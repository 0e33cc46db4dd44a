#!/usr/bin/env bash
# Writes bmpmond.8 to stdout: packaging/bmpmond.8.in with the version, the date and an
# ENVIRONMENT section made from README.md's "## Configuration" table (every setting, default).
# usage: packaging/gen-man.sh VERSION DATE [README.md]
set -euo pipefail
here=$(dirname "$0")
version=$1 date=$2 readme=${3:-"$here/../README.md"}

# shellcheck source=packaging/readme-settings.sh
source "$here/readme-settings.sh"

settings() {
  local name default meaning
  while IFS=$'\t' read -r name default meaning; do
    default=${default//\`/}
    # roff: backslashes doubled, hyphens escaped, no line may start with a dot or quote.
    meaning=$(sed -E 's/`//g; s/\\/\\\\/g; s/-/\\-/g' <<<"$meaning")
    printf '.TP\n.B %s\nDefault: %s. %s\n' "$name" "${default//-/\\-}" "$meaning"
  done < <(readme_settings "$readme")
}

while IFS= read -r line; do
  case $line in
    @SETTINGS@) settings ;;
    *) line=${line//@VERSION@/$version}; printf '%s\n' "${line//@DATE@/$date}" ;;
  esac
done <"$here/bmpmond.8.in"
