#!/usr/bin/env bash
# Run a command with DATABASE_URL and REDIS_URL pointing at real PostgreSQL and Redis.
#
#   scripts/with-services.sh COMMAND [ARGS...]
#
# A variable that is already set is used as it is. Otherwise a throwaway server is started from
# locally installed binaries, on a free loopback port, with its data in a temporary folder, and
# stopped (and its folder removed) when the command ends, also when it fails or is interrupted.
# PostgreSQL's binaries are looked for in $PG_BIN, /usr/lib/postgresql/*/bin, then on PATH.
#
# WITH_REPLICA=1 also starts a streaming replica of that PostgreSQL (pg_basebackup -R, hot
# standby) and exports DATABASE_REPLICA_URLS, unless that is set already (make test-services).
# WITH_PGBOUNCER=1 also starts PgBouncer in transaction pooling mode in front of it and exports
# DATABASE_PGBOUNCER_URL, unless that is set already (Debian: apt-get install pgbouncer).
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

workdir=$(mktemp -d -t orm-reference-services.XXXXXX)
pg_ctl_cmd=()
replica_ctl_cmd=()
redis_pidfile=""
pgbouncer_pidfile=""
# Set by start_postgres, for start_replica.
pg_bin=""
pg_port=""
as_postgres=()

cleanup() {
  if [[ -n $pgbouncer_pidfile && -s $pgbouncer_pidfile ]]; then
    kill "$(cat "$pgbouncer_pidfile")" 2>/dev/null || true
  fi
  if ((${#replica_ctl_cmd[@]})); then
    "${replica_ctl_cmd[@]}" stop -m immediate >/dev/null 2>&1 || true
  fi
  if ((${#pg_ctl_cmd[@]})); then
    "${pg_ctl_cmd[@]}" stop -m immediate >/dev/null 2>&1 || true
  fi
  if [[ -n $redis_pidfile && -s $redis_pidfile ]]; then
    kill "$(cat "$redis_pidfile")" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "with-services: $*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

find_pg_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    echo "$PG_BIN"
    return
  fi
  local dir
  while read -r dir; do
    if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
      echo "$dir"
      return
    fi
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return
  fi
  return 1
}

start_postgres() {
  local bin port data socket
  if ! bin=$(find_pg_bin); then
    log "error: PostgreSQL server binaries (initdb, pg_ctl) not found. Install them" \
      "(Debian: apt-get install postgresql), set PG_BIN to their folder, or set DATABASE_URL."
    exit 1
  fi
  # The server refuses to run as root: run it as the postgres user, which must own its folders.
  if ((EUID == 0)); then
    if ! id postgres >/dev/null 2>&1; then
      log "error: running as root, but there is no 'postgres' user to run the server as."
      exit 1
    fi
    chown postgres: "$workdir"
    as_postgres=(runuser -u postgres --)
  fi
  port=$(free_port)
  data=$workdir/postgres
  socket=$workdir/postgres-socket
  "${as_postgres[@]}" mkdir -p "$socket"
  "${as_postgres[@]}" "$bin/initdb" --pgdata="$data" --username=postgres --auth=trust \
    --encoding=UTF8 --no-locale >"$workdir/initdb.log" 2>&1 || {
    cat "$workdir/initdb.log" >&2
    exit 1
  }
  pg_ctl_cmd=("${as_postgres[@]}" "$bin/pg_ctl" --pgdata="$data")
  # Durability is pointless for a server that is deleted afterwards; turning it off makes the
  # suite's many small transactions faster.
  "${pg_ctl_cmd[@]}" start --wait --log="$workdir/postgres.log" --options="-c listen_addresses=127.0.0.1 -p $port -k $socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null || {
    cat "$workdir/postgres.log" >&2
    exit 1
  }
  "${as_postgres[@]}" "$bin/createdb" --host=127.0.0.1 --port="$port" --username=postgres orm_reference
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/orm_reference"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
  pg_bin=$bin
  pg_port=$port
}

start_replica() {
  local port data=$workdir/replica
  if [[ -z $pg_port ]]; then
    log "error: WITH_REPLICA=1 needs the PostgreSQL this script starts (DATABASE_URL is set):" \
      "set DATABASE_REPLICA_URLS to a streaming replica of it, or unset DATABASE_URL."
    exit 1
  fi
  port=$(free_port)
  # A copy of the primary that follows its WAL: -R writes standby.signal and the connection
  # back to the primary. initdb's trust rules allow replication connections from 127.0.0.1.
  "${as_postgres[@]}" "$pg_bin/pg_basebackup" --host=127.0.0.1 --port="$pg_port" \
    --username=postgres --pgdata="$data" --write-recovery-conf --wal-method=stream \
    --checkpoint=fast >"$workdir/basebackup.log" 2>&1 || {
    cat "$workdir/basebackup.log" >&2
    exit 1
  }
  replica_ctl_cmd=("${as_postgres[@]}" "$pg_bin/pg_ctl" --pgdata="$data")
  "${replica_ctl_cmd[@]}" start --wait --log="$workdir/replica.log" --options="-c listen_addresses=127.0.0.1 -p $port -k $workdir/postgres-socket -c hot_standby=on -c fsync=off" >/dev/null || {
    cat "$workdir/replica.log" >&2
    exit 1
  }
  export DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$port/orm_reference"
  log "PostgreSQL streaming replica on 127.0.0.1:$port"
}

find_pgbouncer() {
  local found
  for found in "${PGBOUNCER_BIN:-}" /usr/sbin/pgbouncer "$(command -v pgbouncer || true)"; do
    if [[ -n $found && -x $found ]]; then
      echo "$found"
      return
    fi
  done
  return 1
}

start_pgbouncer() {
  local bin port config=$workdir/pgbouncer.ini
  if [[ -z $pg_port ]]; then
    log "error: WITH_PGBOUNCER=1 needs the PostgreSQL this script starts (DATABASE_URL is set):" \
      "set DATABASE_PGBOUNCER_URL to a PgBouncer in front of it, or unset DATABASE_URL."
    exit 1
  fi
  if ! bin=$(find_pgbouncer); then
    log "error: pgbouncer not found. Install it (Debian: apt-get install pgbouncer)," \
      "set PGBOUNCER_BIN, or set DATABASE_PGBOUNCER_URL."
    exit 1
  fi
  port=$(free_port)
  pgbouncer_pidfile=$workdir/pgbouncer.pid
  # Transaction pooling: a server connection is a client's only for one transaction. Any
  # database name is passed through to the PostgreSQL above (the test databases included).
  # 60 server connections a database: the suite's race tests hold 50 transactions open at once,
  # and a transaction past the pool's size waits for a server connection (docs/scaling.md).
  # Trust, as the throwaway PostgreSQL does; the user must still be listed.
  echo '"postgres" ""' >"$workdir/pgbouncer-users.txt"
  cat >"$config" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $workdir/pgbouncer-users.txt
pool_mode = transaction
default_pool_size = 60
max_client_conn = 500
admin_users = postgres
logfile = $workdir/pgbouncer.log
pidfile = $pgbouncer_pidfile
INI
  chown postgres: "$config" "$workdir/pgbouncer-users.txt" 2>/dev/null || true
  # PgBouncer refuses to run as root, like PostgreSQL.
  "${as_postgres[@]}" "$bin" --daemon "$config" >"$workdir/pgbouncer.out" 2>&1 || {
    cat "$workdir/pgbouncer.out" "$workdir/pgbouncer.log" >&2 2>/dev/null
    exit 1
  }
  for _ in $(seq 50); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null; then
      export DATABASE_PGBOUNCER_URL="postgres://postgres@127.0.0.1:$port/orm_reference"
      log "PgBouncer $("$bin" --version | head -1 | awk '{print $2}') (transaction pooling) on 127.0.0.1:$port"
      return
    fi
    sleep 0.1
  done
  cat "$workdir/pgbouncer.log" >&2
  log "error: PgBouncer did not listen on port $port."
  exit 1
}

start_redis() {
  local port
  if ! command -v redis-server >/dev/null; then
    log "error: redis-server not found. Install it (Debian: apt-get install redis-server)" \
      "or set REDIS_URL."
    exit 1
  fi
  port=$(free_port)
  redis_pidfile=$workdir/redis.pid
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes \
    --dir "$workdir" --pidfile "$redis_pidfile" --logfile "$workdir/redis.log"
  for _ in $(seq 50); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
      export REDIS_URL="redis://127.0.0.1:$port/0"
      log "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port"
      return
    fi
    sleep 0.1
  done
  cat "$workdir/redis.log" >&2
  log "error: Redis did not answer on port $port."
  exit 1
}

if [[ -z ${DATABASE_URL:-} ]]; then start_postgres; else log "using DATABASE_URL from the environment"; fi
if [[ ${WITH_REPLICA:-} == 1 ]]; then
  if [[ -z ${DATABASE_REPLICA_URLS:-} ]]; then start_replica; else log "using DATABASE_REPLICA_URLS from the environment"; fi
fi
if [[ ${WITH_PGBOUNCER:-} == 1 ]]; then
  if [[ -z ${DATABASE_PGBOUNCER_URL:-} ]]; then start_pgbouncer; else log "using DATABASE_PGBOUNCER_URL from the environment"; fi
fi
if [[ -z ${REDIS_URL:-} ]]; then start_redis; else log "using REDIS_URL from the environment"; fi

# Not exec: the trap must still run to stop the servers once the command ends.
status=0
"$@" || status=$?
exit "$status"
