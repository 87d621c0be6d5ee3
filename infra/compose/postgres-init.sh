#!/usr/bin/env bash
# First start of compose.yaml's PostgreSQL (the official image runs /docker-entrypoint-initdb.d/* once, on an empty
# data volume): one database per service, owned by NAME_owner and used by NAME_app, made by the same SQL as
# `infra/postgres.sh provision` (infra/sql/). MSP_DATABASES lists the names; each NAME needs the variables
# NAME_OWNER_PASSWORD and NAME_APP_PASSWORD in upper case (msp_tickets: MSP_TICKETS_OWNER_PASSWORD, ...).
set -euo pipefail
sql=${MSP_PROVISION_SQL:-/msp-sql}
for name in ${MSP_DATABASES:?MSP_DATABASES names the databases to create}; do
  owner_var="${name^^}_OWNER_PASSWORD"; app_var="${name^^}_APP_PASSWORD"
  owner_pw=${!owner_var:?$owner_var is not set}; app_pw=${!app_var:?$app_var is not set}
  psql -X -q -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d postgres \
    -v name="$name" -v owner_pw="$owner_pw" -v app_pw="$app_pw" -f "$sql/provision-database.sql"
  psql -X -q -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d "$name" -v name="$name" -f "$sql/provision-grants.sql"
  echo "msp: database $name with roles ${name}_owner and ${name}_app"
done
