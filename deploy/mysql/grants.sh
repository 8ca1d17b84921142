#!/bin/sh
# Prints deploy/mysql/grants.sql with the real passwords and client host, for every deployment path:
#   systemd:  CHECKUP_DB_APP_PASSWORD=... CHECKUP_DB_MIGRATE_PASSWORD=... CHECKUP_DB_BACKUP_PASSWORD=... \
#             sh deploy/mysql/grants.sh | sudo mariadb
#   compose:  run by the db container's first start (deploy/mysql/initdb/10-grants.sh), client host '%'.
# CHECKUP_DB_CLIENT_HOST (default localhost) is the host part of the accounts. It stops when a password
# is missing, so the application account never gets more than grants.sql gives it (audit_log: SELECT,
# INSERT only).
set -eu
here=$(dirname "$0")
: "${CHECKUP_DB_APP_PASSWORD:?set CHECKUP_DB_APP_PASSWORD}"
: "${CHECKUP_DB_MIGRATE_PASSWORD:?set CHECKUP_DB_MIGRATE_PASSWORD}"
: "${CHECKUP_DB_BACKUP_PASSWORD:?set CHECKUP_DB_BACKUP_PASSWORD}"
host=${CHECKUP_DB_CLIENT_HOST:-localhost}
for value in "$CHECKUP_DB_APP_PASSWORD" "$CHECKUP_DB_MIGRATE_PASSWORD" "$CHECKUP_DB_BACKUP_PASSWORD" "$host"; do
  case "$value" in *\'*|*\\*|*"|"*) echo "grants.sh: quotes, backslashes and | are not allowed in passwords/host" >&2; exit 2;; esac
done
sed -e "s|CHANGE-THIS-APP-PASSWORD|$CHECKUP_DB_APP_PASSWORD|" \
    -e "s|CHANGE-THIS-MIGRATE-PASSWORD|$CHECKUP_DB_MIGRATE_PASSWORD|" \
    -e "s|CHANGE-THIS-BACKUP-PASSWORD|$CHECKUP_DB_BACKUP_PASSWORD|" \
    -e "s|'@'localhost'|'@'$host'|g" "$here/grants.sql"
