-- MySQL 8 / MariaDB 10.6+: the database, a migration account and the application account.
-- Replace the passwords; run as an administrator: mariadb < deploy/mysql/grants.sql
CREATE DATABASE IF NOT EXISTS checkup CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Schema changes (checkup migrate) only. ALL includes TRIGGER: migration 0005 creates the triggers on
-- booking that keep day_quota.booked (they run as their definer, this account: keep it, even locked).
-- With binary logging on (replicas, point-in-time recovery), creating triggers also needs
-- log_bin_trust_function_creators=1 in the server configuration, or SUPER for this account.
CREATE USER IF NOT EXISTS 'checkup_migrate'@'localhost' IDENTIFIED BY 'CHANGE-THIS-MIGRATE-PASSWORD';
GRANT ALL PRIVILEGES ON checkup.* TO 'checkup_migrate'@'localhost';

-- The running application (API processes and workers): data only, no DDL. The audit trail is
-- append-only at the database too: INSERT and SELECT, never UPDATE or DELETE.
CREATE USER IF NOT EXISTS 'checkup_app'@'localhost' IDENTIFIED BY 'CHANGE-THIS-APP-PASSWORD';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.wechat_user TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.patient TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.package TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.charge TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.booking TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.day_quota TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.holiday TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.booking_rules TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.staff_user TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.staff_session TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.job TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.payment TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.payment_bill TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.refund TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.reconciliation TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.finance_alert TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.open_client TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.open_nonce TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, DELETE ON checkup.his_nonce TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.patient_verification TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.sms_send TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.consent TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, DELETE ON checkup.ops_sample TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON checkup.ops_daily TO 'checkup_app'@'localhost';
GRANT SELECT ON checkup.tortoise_migrations TO 'checkup_app'@'localhost';
GRANT SELECT, INSERT ON checkup.audit_log TO 'checkup_app'@'localhost';

-- Backups (deploy/backup/backup.sh).
CREATE USER IF NOT EXISTS 'checkup_backup'@'localhost' IDENTIFIED BY 'CHANGE-THIS-BACKUP-PASSWORD';
GRANT SELECT, LOCK TABLES, SHOW VIEW, TRIGGER, EVENT, RELOAD, REPLICATION CLIENT ON *.* TO 'checkup_backup'@'localhost';
FLUSH PRIVILEGES;
