#!/usr/bin/env bash
# The two roles of docs/adr/0016-database-roles.md for docker-compose.yml's PostgreSQL, named and given passwords by
# the container's environment (.env). Run once, on an empty data directory, by the image's entrypoint as POSTGRES_USER
# in POSTGRES_DB (it only reaches the server through its socket then). The owner migrates and owns the schemas; the
# application role, which every service queries as, owns nothing and may create nothing in public. psql's :"name" and
# :'value' quote the names and passwords, whatever characters they hold.
set -euo pipefail
: "${SEEDLOOP_DB_OWNER:?}" "${SEEDLOOP_DB_OWNER_PASSWORD:?}" "${SEEDLOOP_DB_APP:?}" "${SEEDLOOP_DB_APP_PASSWORD:?}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v owner="$SEEDLOOP_DB_OWNER" -v owner_password="$SEEDLOOP_DB_OWNER_PASSWORD" \
    -v app="$SEEDLOOP_DB_APP" -v app_password="$SEEDLOOP_DB_APP_PASSWORD" <<'SQL'
create role :"owner" login password :'owner_password';
create role :"app" login password :'app_password';
alter database :"db" owner to :"owner";
revoke create on schema public from public;
grant usage, create on schema public to :"owner";
grant usage on schema public to :"app";
SQL
