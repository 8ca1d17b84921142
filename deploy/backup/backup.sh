#!/usr/bin/env bash
# Consistent logical backup of the checkup database (InnoDB, no lock: --single-transaction) with the
# binary-log position recorded, for point-in-time recovery: restore this dump, then replay the binlogs
# from the recorded position (mariadb-binlog --start-position=... binlog.N | mariadb checkup).
# Usage: deploy/backup/backup.sh [DIR]   (env: DB_HOST DB_PORT DB_USER DB_PASSWORD DB_NAME KEEP_DAYS)
set -euo pipefail
dir=${1:-/var/backups/checkup}
db=${DB_NAME:-checkup}
keep=${KEEP_DAYS:-30}
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dir/$db-$stamp.sql.gz"
dump=$(command -v mariadb-dump || command -v mysqldump)
args=(--host="${DB_HOST:-127.0.0.1}" --port="${DB_PORT:-3306}" --user="${DB_USER:-checkup_backup}"
      --single-transaction --routines --triggers --events --hex-blob --default-character-set=utf8mb4)
# Record the binlog coordinates when binary logging is on (needed for point-in-time recovery).
if "$dump" "${args[@]}" --no-data --master-data=2 "$db" >/dev/null 2>&1; then args+=(--master-data=2); fi
MYSQL_PWD="${DB_PASSWORD:-}" "$dump" "${args[@]}" "$db" | gzip -9 > "$out.part"
mv "$out.part" "$out"
sha256sum "$out" > "$out.sha256"
find "$dir" -name "$db-*.sql.gz*" -mtime +"$keep" -delete
echo "$out"
