#!/bin/bash
# Entrypoint of the MySQL stand-in (MariaDB): initialises an empty data directory the way the official mysql
# image does, then runs the server in the foreground.
#
# Honoured, as in the official image (each also as <NAME>_FILE, read from that file):
#   MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD   one is required
#   MYSQL_ROOT_HOST (default %)   MYSQL_DATABASE   MYSQL_USER + MYSQL_PASSWORD
#   /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz, *.sql.xz, run once in name order, *.sql in MYSQL_DATABASE
# Not done: time zone tables (MYSQL_INITDB_SKIP_TZINFO is implied) and MYSQL_ONETIME_PASSWORD.
set -eo pipefail

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

log() { printf '%s [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*"; }
fail() { log "ERROR: $*" >&2; exit 1; }

# file_env VAR: VAR's value, or the contents of the file named by VAR_FILE (Docker secrets).
file_env() {
    local var="$1" file_var="${1}_FILE"
    if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
        fail "both $var and $file_var are set (but they are exclusive)"
    fi
    if [ -n "${!file_var:-}" ]; then
        export "$var"="$(<"${!file_var}")"
    fi
}

# sql_escape STRING: STRING as the inside of a single-quoted SQL literal.
sql_escape() { printf '%s' "$1" | sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/''/g"; }

client() { mariadb --protocol=socket --socket="$SOCKET" -uroot "$@"; }

run_init_file() {
    local f="$1"
    local -a db=()
    [ -n "${MYSQL_DATABASE:-}" ] && db=(--database="$MYSQL_DATABASE")
    case "$f" in
        *.sh)
            if [ -x "$f" ]; then log "running $f"; "$f"; else log "sourcing $f"; . "$f"; fi ;;
        *.sql)    log "running $f"; client "${db[@]}" <"$f" ;;
        *.sql.gz) log "running $f"; gunzip -c "$f" | client "${db[@]}" ;;
        *.sql.xz) log "running $f"; xzcat "$f" | client "${db[@]}" ;;
        *)        log "ignoring $f" ;;
    esac
}

initialise() {
    for v in MYSQL_ROOT_PASSWORD MYSQL_ROOT_HOST MYSQL_DATABASE MYSQL_USER MYSQL_PASSWORD; do file_env "$v"; done
    if [ -z "${MYSQL_ROOT_PASSWORD:-}" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] \
        && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
        fail "Database is uninitialized and password option is not specified.
    You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD"
    fi
    if [ "${MYSQL_USER:-}" = root ]; then
        fail "MYSQL_USER=\"root\": use MYSQL_ROOT_PASSWORD for the root user instead"
    fi
    if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
        MYSQL_ROOT_PASSWORD="$(head -c 18 /dev/urandom | base64)"
        log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
    fi
    local root_host="${MYSQL_ROOT_HOST:-%}"

    log "initialising database files in $DATADIR"
    mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db \
        --auth-root-authentication-method=socket >/dev/null

    log "starting a temporary server (socket only)"
    mariadbd --user=mysql --datadir="$DATADIR" --skip-networking --socket="$SOCKET" &
    local pid=$!
    for _ in $(seq 1 60); do
        client -e 'SELECT 1' >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || fail "the temporary server stopped during start-up"
        sleep 0.5
    done
    client -e 'SELECT 1' >/dev/null 2>&1 || fail "the temporary server did not answer within 30 s"

    local pw; pw="$(sql_escape "${MYSQL_ROOT_PASSWORD:-}")"
    # root@localhost keeps socket authentication (for this script) and gains the password (for TCP clients).
    {
        echo "SET @@SESSION.SQL_LOG_BIN=0;"
        # Anonymous accounts and host-specific roots, as the official image removes them.
        client -N -e "SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.global_priv
                      WHERE User = '' OR (User = 'root' AND Host <> 'localhost')"
        echo "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$pw');"
        if [ "$root_host" != localhost ]; then
            echo "CREATE USER 'root'@'$(sql_escape "$root_host")' IDENTIFIED BY '$pw';"
            echo "GRANT ALL ON *.* TO 'root'@'$(sql_escape "$root_host")' WITH GRANT OPTION;"
        fi
        if [ -n "${MYSQL_DATABASE:-}" ]; then
            echo "CREATE DATABASE IF NOT EXISTS \`${MYSQL_DATABASE//\`/\`\`}\`;"
        fi
        if [ -n "${MYSQL_USER:-}" ] && [ -n "${MYSQL_PASSWORD:-}" ]; then
            echo "CREATE USER '$(sql_escape "$MYSQL_USER")'@'%' IDENTIFIED BY '$(sql_escape "$MYSQL_PASSWORD")';"
            if [ -n "${MYSQL_DATABASE:-}" ]; then
                echo "GRANT ALL ON \`${MYSQL_DATABASE//\`/\`\`}\`.* TO '$(sql_escape "$MYSQL_USER")'@'%';"
            fi
        fi
        echo "FLUSH PRIVILEGES;"
    } | client

    local f
    for f in /docker-entrypoint-initdb.d/*; do
        [ -e "$f" ] && run_init_file "$f"
    done

    log "stopping the temporary server"
    mariadb-admin --protocol=socket --socket="$SOCKET" -uroot shutdown
    wait "$pid" || true
    log "MySQL init process done. Ready for start up."
}

if [ "${1:0:1}" = '-' ]; then
    set -- mariadbd "$@"
fi
if [ "$1" = mysqld ]; then
    shift
    set -- mariadbd "$@"
fi
if [ "$1" = mariadbd ]; then
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld "$DATADIR"
    if [ ! -d "$DATADIR/mysql" ]; then
        initialise
    else
        log "database directory already initialised; skipping initialisation"
    fi
    shift
    exec mariadbd --user=mysql --datadir="$DATADIR" --socket="$SOCKET" "$@"
fi
exec "$@"
