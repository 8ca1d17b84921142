#!/usr/bin/env bash
# Restore a dump made by backup.sh into a database (created when missing), after checking its checksum.
# Usage: deploy/backup/restore.sh FILE.sql.gz [TARGET_DB]   (env: DB_HOST DB_PORT DB_USER DB_PASSWORD)
# Restoring over the live database: stop checkup-api@* and checkup-worker first.
set -euo pipefail
file=$1
target=${2:-checkup_restore}
[ -f "$file.sha256" ] && sha256sum -c "$file.sha256"
client=$(command -v mariadb || command -v mysql)
conn=(--host="${DB_HOST:-127.0.0.1}" --port="${DB_PORT:-3306}" --user="${DB_USER:-root}")
MYSQL_PWD="${DB_PASSWORD:-}" "$client" "${conn[@]}" -e \
  "CREATE DATABASE IF NOT EXISTS \`$target\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
gunzip -c "$file" | MYSQL_PWD="${DB_PASSWORD:-}" "$client" "${conn[@]}" "$target"
echo "restored $file into $target"
