# Sourced by the mariadb image's entrypoint on the database's first start (compose.yaml): the same
# accounts and grants as the systemd path (deploy/mysql/grants.sql through grants.sh), from any host
# of the compose network.
CHECKUP_DB_CLIENT_HOST='%' sh /checkup-mysql/grants.sh | docker_process_sql
