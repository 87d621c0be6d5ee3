#!/usr/bin/env bash
# A private PostgreSQL cluster under a data folder, bound to 127.0.0.1 only.
#   infra/postgres.sh start DIR PORT                 init (first time) and start; idempotent (MSP_PG_OPTIONS: more
#                                                    server settings, e.g. "-c shared_preload_libraries=auto_explain")
#   infra/postgres.sh stop DIR                       stop the cluster
#   infra/postgres.sh provision DIR NAME             a database NAME owned by role NAME_owner, used by
#                                                    role NAME_app (no ownership); prints the two
#                                                    connection strings as env lines
# PostgreSQL refuses to run as root, so the cluster runs as the `postgres` system user. The
# superuser password is generated on first start and kept in DIR/superuser.pw.
set -euo pipefail
cmd=${1:?command}; dir=${2:?data folder}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
sql=$(cd "$(dirname "${BASH_SOURCE[0]}")/sql" && pwd) # the provisioning SQL, shared with compose.yaml

pgbin() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$b" ]; then
    echo "installing postgresql" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    b=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$b"
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_su() {
  PGPASSWORD=$(cat "$dir/superuser.pw") "$(pgbin)/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres "$@"
}
secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }

case "$cmd" in
  start)
    port=${3:?port}; bin=$(pgbin)
    echo "$port" > "$dir/port"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      secret > "$dir/superuser.pw"; chmod 600 "$dir/superuser.pw"
      pwfile=$(mktemp); cp "$dir/superuser.pw" "$pwfile"; chown postgres "$pwfile" 2>/dev/null || true
      as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" --auth-local=scram-sha-256 \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
      rm -f "$pwfile"
    fi
    if as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then exit 0; fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/data -c max_connections=400 -c shared_buffers=256MB -c fsync=${MSP_PG_FSYNC:-on} ${MSP_PG_OPTIONS:-}" >/dev/null ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    as_pg "$(pgbin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true ;;
  status) as_pg "$(pgbin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 ;;
  provision)
    name=${3:?database name}
    mkdir -p "$dir/roles"
    for r in owner app; do
      [ -f "$dir/roles/${name}_$r.pw" ] || { secret > "$dir/roles/${name}_$r.pw"; chmod 600 "$dir/roles/${name}_$r.pw"; }
    done
    owner_pw=$(cat "$dir/roles/${name}_owner.pw"); app_pw=$(cat "$dir/roles/${name}_app.pw")
    psql_su -d postgres -v name="$name" -v owner_pw="$owner_pw" -v app_pw="$app_pw" -f "$sql/provision-database.sql"
    psql_su -d "$name" -v name="$name" -f "$sql/provision-grants.sql"
    # The services reach the cluster through its Unix-domain socket (in the data folder, set with -k at start):
    # the same server and authentication as 127.0.0.1, without the TCP loopback's cost on every round trip. A path
    # too long for a socket leaves only TCP, which then serves.
    port=$(cat "$dir/port"); host=127.0.0.1
    [ -S "$dir/data/.s.PGSQL.$port" ] && host="$dir/data"
    echo "OWNER=Host=$host;Port=$port;Database=$name;Username=${name}_owner;Password=$owner_pw"
    echo "APP=Host=$host;Port=$port;Database=$name;Username=${name}_app;Password=$app_pw" ;;
  drop)
    name=${3:?database name}
    psql_su -d postgres -v name="$name" <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'name') \gexec
SELECT format('DROP ROLE IF EXISTS %I', :'name' || '_app') \gexec
SELECT format('DROP ROLE IF EXISTS %I', :'name' || '_owner') \gexec
SQL
    rm -f "$dir/roles/${name}_owner.pw" "$dir/roles/${name}_app.pw" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
