# Sourced by gen-env.sh and gen-man.sh: the rows of README.md's "## Configuration" table.
# readme_settings README.md prints one line per BMPMOND_* row: NAME<TAB>DEFAULT<TAB>MEANING,
# each field trimmed, DEFAULT and MEANING as the README writes them (backticks kept; DEFAULT is
# never empty, the table says `unset` or `empty`, so the tab-separated fields cannot shift).
readme_settings() {
  local in_section=0 line name default meaning
  while IFS= read -r line; do
    case $line in
      "## Configuration") in_section=1; continue ;;
      "## "*) in_section=0; continue ;;
    esac
    [[ $in_section == 1 && $line == '| `BMPMOND_'* ]] || continue
    # | `NAME` | default | meaning |
    IFS='|' read -r _ name default meaning _ <<<"$line"
    name=${name//[\` ]/}
    default=$(sed -E 's/^ +| +$//g' <<<"$default")
    meaning=$(sed -E 's/^ +| +$//g' <<<"$meaning")
    printf '%s\t%s\t%s\n' "$name" "$default" "$meaning"
  done <"$1"
}
