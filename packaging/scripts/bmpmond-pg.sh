# bmpmond-pg.sh: sourced by bmpmond-backup and bmpmond-restore (not run by itself).
# Turns BMPMOND_DATABASE_URL's two forms into what pg_dump, pg_restore and psql take, with the
# password moved into PGPASSWORD: a password on a command line is visible to every local user
# in ps(1) and /proc.
#   postgres://user:password@host:port/db?sslmode=...  -> the same URL without the password
#   Host=h;Port=p;Username=u;Password=pw;Database=db    -> host='h' port='p' user='u' dbname='db'
# A libpq conninfo (key=value separated by spaces) or a database name is passed through.

# Sets BMPMOND_PG_CONNINFO to the libpq connection string for $1 and exports PGPASSWORD when it
# holds a password. Call it directly, never in $(...): a subshell's export would be lost.
bmpmond_pg_conninfo() {
  local url=$1
  case $url in
    postgres://* | postgresql://*)
      local scheme=${url%%://*} rest=${url#*://}
      local authority=${rest%%[/?]*}
      local tail=${rest#"$authority"}
      if [[ $authority == *@* ]]; then
        local userinfo=${authority%@*} hostpart=${authority##*@}
        if [[ $userinfo == *:* ]]; then
          local password=${userinfo#*:}
          userinfo=${userinfo%%:*}
          # Percent-decoding, as libpq does for the URL form.
          PGPASSWORD=$(printf '%b' "${password//%/\\x}")
          export PGPASSWORD
        fi
        authority=$userinfo@$hostpart
      fi
      BMPMOND_PG_CONNINFO=$scheme://$authority$tail
      ;;
    *=*\;* | *\;*=*)
      # Npgsql's form (Key=Value;...); a libpq conninfo (key=value separated by spaces) or a
      # database name falls through to the last case unchanged.
      local out="" pair key value
      local IFS=';'
      for pair in $url; do
        [[ $pair == *=* ]] || continue
        key=${pair%%=*} value=${pair#*=}
        key=$(tr -d ' ' <<<"${key,,}")
        value=${value//\\/\\\\}
        value=${value//\'/\\\'}
        case $key in
          host | server) out+=" host='$value'" ;;
          port) out+=" port='$value'" ;;
          username | userid | user | uid) out+=" user='$value'" ;;
          database | db) out+=" dbname='$value'" ;;
          sslmode) out+=" sslmode='$value'" ;;
          password | pwd)
            PGPASSWORD=${pair#*=}
            export PGPASSWORD
            ;;
        esac
      done
      BMPMOND_PG_CONNINFO=${out# }
      ;;
    *)
      BMPMOND_PG_CONNINFO=$url
      ;;
  esac
}

# Reads NAME's value from an env file (KEY=value lines; a value may be in double or single quotes).
bmpmond_env_value() {
  local name=$1 file=$2 line value=""
  [[ -r $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line#"${line%%[![:space:]]*}"}
    [[ $line == "$name="* ]] || continue
    value=${line#*=}
    value=${value%"${value##*[![:space:]]}"}
    if [[ $value == \"*\" || $value == \'*\' ]]; then value=${value:1:${#value}-2}; fi
  done <"$file"
  printf '%s\n' "$value"
}
