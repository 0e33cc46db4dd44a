#!/usr/bin/env bash
# Writes /etc/bmpmond/bmpmond.env as shipped by the packages, to stdout: every BMPMOND_* setting
# of README.md's "## Configuration" table, commented out with its default. The README table is
# itself tested to be SettingsTable.cs rendered (SettingsTableTests), so this file cannot drift
# from the code; PackagingTests checks that every setting appears here with its default.
# usage: packaging/gen-env.sh [README.md] > bmpmond.env
set -euo pipefail
readme=${1:-"$(dirname "$0")/../README.md"}

cat <<'HEADER'
# /etc/bmpmond/bmpmond.env: settings of the bmpmond BMP collector.
#
# Every setting is listed below, commented out, with its default value: uncomment a line and
# change it to override the default, then `systemctl restart bmpmond`. `bmpmond check` and
# `bmpmond run` stop with exit code 2 and one line naming the setting when a value is wrong.
#
# systemd reads this file too (EnvironmentFile= in bmpmond.service) and its values win, so keep
# to what both read alike: KEY=value lines, a value in double quotes when it has spaces, no
# `export` prefix, no comment after a value. Full reference: man bmpmond(8) and
# /usr/share/doc/bmpmond/configuration.md.
#
# Required: BMPMOND_DATABASE_URL. The default output is PostgreSQL (BMPMOND_OUTPUT=postgres);
# without a database URL bmpmond stops at start with exit code 2 naming it, and systemd does not
# restart it (RestartPreventExitStatus=2). Set it, then `systemctl restart bmpmond` (the package
# enables the unit and starts it once the URL is set here). BMPMOND_OUTPUT=null (count only) or
# jsonl:/var/lib/bmpmond/routes.jsonl (the service's writable state directory) run without one.
HEADER

# shellcheck source=packaging/readme-settings.sh
source "$(dirname "$0")/readme-settings.sh"
found=0
while IFS=$'\t' read -r name default meaning; do
  meaning=${meaning//\`/}
  case $default in
    unset) value="" shown="unset" ;;
    empty) value="" shown="empty" ;;
    \`*\`) value=${default:1:${#default}-2} shown=$value ;;
    *) echo "gen-env.sh: $name: default '$default' is neither \`value\`, empty nor unset" >&2; exit 1 ;;
  esac
  printf '\n'
  fold -s -w 94 <<<"$name (default: $shown): $meaning" | sed -E 's/ +$//; s/^/# /'
  if [[ $value == *[[:space:],]* ]]; then value="\"$value\""; fi
  printf '#%s=%s\n' "$name" "$value"
  found=$((found + 1))
done < <(readme_settings "$readme")

if [[ $found == 0 ]]; then
  echo "gen-env.sh: no BMPMOND_ rows in the '## Configuration' table of $readme" >&2
  exit 1
fi
