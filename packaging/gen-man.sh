#!/usr/bin/env bash
# Writes bmpmond.8 to stdout: packaging/bmpmond.8.in with the version, the date and an
# ENVIRONMENT section made from README.md's "## Configuration" table (every setting, default).
# usage: packaging/gen-man.sh VERSION DATE [README.md]
set -euo pipefail
here=$(dirname "$0")
version=$1 date=$2 readme=${3:-"$here/../README.md"}

settings() {
  local in_section=0 line name default meaning
  while IFS= read -r line; do
    case $line in
      "## Configuration") in_section=1; continue ;;
      "## "*) in_section=0; continue ;;
    esac
    [[ $in_section == 1 && $line == '| `BMPMOND_'* ]] || continue
    IFS='|' read -r _ name default meaning _ <<<"$line"
    name=${name//[\` ]/}
    default=$(sed -E 's/^ +| +$//g; s/`//g' <<<"$default")
    # roff: backslashes doubled, hyphens escaped, no line may start with a dot or quote.
    meaning=$(sed -E 's/^ +| +$//g; s/`//g; s/\\/\\\\/g; s/-/\\-/g' <<<"$meaning")
    printf '.TP\n.B %s\nDefault: %s. %s\n' "$name" "${default//-/\\-}" "$meaning"
  done <"$readme"
}

while IFS= read -r line; do
  case $line in
    @SETTINGS@) settings ;;
    *) line=${line//@VERSION@/$version}; printf '%s\n' "${line//@DATE@/$date}" ;;
  esac
done <"$here/bmpmond.8.in"
