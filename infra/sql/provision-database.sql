-- A service's database: NAME owned by role NAME_owner (which migrates), used by role NAME_app (which does not own the
-- tables, so that row-level security binds it). Run in the maintenance database as a superuser, with psql variables
-- name, owner_pw and app_pw; idempotent. Used by infra/postgres.sh provision and the compose PostgreSQL's first start.
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name' || '_owner', :'owner_pw')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name' || '_owner') \gexec
SELECT format('CREATE ROLE %I LOGIN NOINHERIT PASSWORD %L', :'name' || '_app', :'app_pw')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name' || '_app') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name' || '_owner')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
