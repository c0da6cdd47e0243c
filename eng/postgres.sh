#!/usr/bin/env bash
# A PostgreSQL cluster private to this checkout, for tests and local runs.
#
#   eng/postgres.sh start [DB]           create on first use, start, print DB's connection string
#   eng/postgres.sh stop                 stop the cluster
#   eng/postgres.sh status               say whether it runs (exit 0 running, 3 not running)
#   eng/postgres.sh url [DB]             print the connection string
#   eng/postgres.sh createdb NAME [--fast]
#                                        create database NAME if missing (starting the cluster if
#                                        needed); --fast sets synchronous_commit=off for that
#                                        database only; print its connection string
#
# DB defaults to "complaints"; "start" creates it when missing.
# stdout carries only the connection string (with the password); everything else goes to stderr.
#
# Environment: COMPLAINTS_PG_PORT (default 55432).
# Data directory: .local/postgres in the checkout (log: .local/postgres.log). When run as root the
# server runs as the "postgres" user; if that user cannot reach the checkout, the data directory is
# /tmp/complaints-postgres-<hash of the checkout path> instead.
# The server listens on 127.0.0.1 only and asks for a password (scram-sha-256): a random one made
# when the cluster is created, kept beside the data directory in .local/postgres.password, readable
# by its owner only. A cluster made before, which trusted every local user, is given a password on
# its next "start" (or "createdb").
# The cluster keeps fsync and synchronous_commit on; tests turn the latter off per database.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PORT="${COMPLAINTS_PG_PORT:-55432}"
HOST=127.0.0.1
DEFAULT_DB=complaints

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { printf 'postgres.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || (( 10#$PORT < 1 || 10#$PORT > 65535 )); then
  die "COMPLAINTS_PG_PORT must be a TCP port number, got '$PORT'"
fi

conn_string() { # port db
  local password=""
  [[ -r "$PWFILE" ]] && password="$(<"$PWFILE")"
  [[ -n "$password" ]] || die "no password in $PWFILE: run 'eng/postgres.sh start' to give the cluster one"
  printf 'Host=%s;Port=%s;Username=postgres;Password=%s;Database=%s\n' "$HOST" "$1" "$password" "$2"
}

valid_db_name() {
  [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_-]{0,62}$ ]] || die "invalid database name '$1' (letters, digits, _ and - only)"
}

# --- where things live ---------------------------------------------------------------------------

as_root=false
[[ "$(id -u)" == 0 ]] && as_root=true

# Runs a server-side command as the cluster's owner (from /, which that user can always enter).
as_pg() {
  if $as_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

short_hash() {
  if command -v sha256sum >/dev/null 2>&1; then printf '%s' "$1" | sha256sum | cut -c1-10
  else printf '%s' "$1" | cksum | cut -d' ' -f1; fi
}

choose_dirs() {
  DATA="$ROOT/.local/postgres"
  LOGFILE="$ROOT/.local/postgres.log"
  LOCKFILE="$ROOT/.local/postgres.lock"
  PWFILE="$ROOT/.local/postgres.password"
  if $as_root; then
    id postgres >/dev/null 2>&1 \
      || die "running as root, but there is no 'postgres' user to run the server (PostgreSQL refuses to run as root)"
    local probe="$ROOT"
    [[ -d "$ROOT/.local" ]] && probe="$ROOT/.local"
    if [[ ! -d "$DATA" ]] && ! runuser -u postgres -- test -x "$probe" 2>/dev/null; then
      local base
      base="/tmp/complaints-postgres-$(short_hash "$ROOT")"
      DATA="$base"
      LOGFILE="$base.log"
      LOCKFILE="$base.lock"
      PWFILE="$base.password"
    fi
  fi
}

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then BINDIR="$d"; return; fi
  fi
  d="$(for x in /usr/lib/postgresql/*/bin; do
         if [[ -x "$x/initdb" && -x "$x/pg_ctl" ]]; then printf '%s\n' "$x"; fi
       done | sort -V | tail -n1)"
  if [[ -n "$d" ]]; then BINDIR="$d"; return; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    BINDIR="$(dirname "$(command -v initdb)")"; return
  fi
  die "PostgreSQL server binaries not found: install them (Debian/Ubuntu: sudo apt-get install postgresql) or set ConnectionStrings__Complaints to an existing server."
}

# Serialises start/stop/createdb between concurrent callers (see run_pg_ctl_start on fd 9).
take_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$(dirname "$LOCKFILE")"
  exec 9>>"$LOCKFILE"
  flock 9
}

# --- cluster state -------------------------------------------------------------------------------

# 0 running, 3 not running, 4 no data directory (pg_ctl status conventions)
cluster_status() {
  [[ -f "$DATA/PG_VERSION" ]] || return 4
  local rc=0
  as_pg "$BINDIR/pg_ctl" status -D "$DATA" >/dev/null 2>&1 || rc=$?
  return $rc
}

# Port of the running server, from line 4 of postmaster.pid.
running_port() {
  sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true
}

psql_c() { # port db sql
  PGPASSWORD="$(cat "$PWFILE" 2>/dev/null || true)" PGCONNECT_TIMEOUT=5 "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$1" -U postgres -d "$2" -Atc "$3"
}

port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# A new random password in $PWFILE (letters and digits: nothing a connection string must quote).
new_password() {
  local password
  password="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
  (( ${#password} == 32 )) || die "could not make a password from /dev/urandom"
  (umask 077 && printf '%s\n' "$password" >"$PWFILE.new")
  mv -f "$PWFILE.new" "$PWFILE"
}

# pg_hba.conf: TCP on loopback, with the method given, and nothing else (the server has no Unix socket).
write_hba() { # method
  as_pg tee "$DATA/pg_hba.conf" >/dev/null <<EOF
# eng/postgres.sh: $1 on loopback; the password is in $PWFILE
host    all             all             127.0.0.1/32            $1
host    all             all             ::1/128                 $1
EOF
}

init_cluster() {
  log "creating a new cluster in $DATA"
  mkdir -p "$(dirname "$DATA")"
  mkdir -p "$DATA"
  : >>"$LOGFILE"
  if $as_root; then chown postgres: "$DATA" "$LOGFILE"; fi
  chmod 700 "$DATA"
  new_password
  # initdb reads the password from a file; the server's user gets a copy of its own, removed at once.
  local handover; handover="$(mktemp -d)"
  cp "$PWFILE" "$handover/password"
  if $as_root; then chown -R postgres: "$handover"; fi
  local locale_opt=(--locale=C.UTF-8)
  if ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale_opt=(--no-locale); fi
  if ! as_pg "$BINDIR/initdb" -D "$DATA" -U postgres --auth=scram-sha-256 --pwfile="$handover/password" -E UTF8 "${locale_opt[@]}" >>"$LOGFILE" 2>&1; then
    rm -rf "$handover"
    tail -n 20 "$LOGFILE" >&2 || true
    rm -rf "$DATA"
    die "initdb failed (full output in $LOGFILE)"
  fi
  rm -rf "$handover"
  write_hba scram-sha-256
  # Local development settings; fsync and synchronous_commit stay on (see createdb --fast).
  as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<'EOF'

# --- complaints development cluster (eng/postgres.sh) ---
# The port comes from COMPLAINTS_PG_PORT at start time (pg_ctl -o "-p PORT").
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
EOF
}

# pg_ctl start leaves the server running in the background with every descriptor it inherited
# beyond 0-2: close them all first, so that it holds neither our lock (fd 9) nor a caller's pipe
# (a build tool or CI log reader waiting for end-of-file would wait for as long as the server runs).
run_pg_ctl_start() (
  local fd
  for fd in $(ls /proc/$BASHPID/fd 2>/dev/null || echo 9); do
    if (( fd > 2 && fd != 255 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  # pg_stat_statements, where the server has it, lets the benchmarks name the statements that cost the most.
  local preload=""
  [[ -f "$(dirname "$BINDIR")/lib/pg_stat_statements.so" ]] && preload=" -c shared_preload_libraries=pg_stat_statements"
  as_pg "$BINDIR/pg_ctl" start -w -s -t 60 -D "$DATA" -l "$LOGFILE" -o "-p $PORT$preload"
)

start_cluster() {
  take_lock
  [[ -f "$DATA/PG_VERSION" ]] || init_cluster
  local rc=0
  cluster_status || rc=$?
  if (( rc == 0 )); then
    local p; p="$(running_port)"
    if [[ -n "$p" && "$p" != "$PORT" ]]; then
      die "the cluster in $DATA already runs on port $p, not on COMPLAINTS_PG_PORT=$PORT: run 'eng/postgres.sh stop' first, or use COMPLAINTS_PG_PORT=$p"
    fi
    return 0
  fi
  if [[ -f "$DATA/postmaster.pid" ]]; then
    log "removing stale $DATA/postmaster.pid (no server is running)"
    rm -f "$DATA/postmaster.pid"
  fi
  if port_in_use "$PORT"; then
    local other=""
    other="$(psql_c "$PORT" postgres 'show data_directory' 2>/dev/null || true)"
    if [[ -n "$other" ]]; then
      die "port $PORT is taken by another PostgreSQL server (data directory $other): set COMPLAINTS_PG_PORT to a free port and retry, e.g. export COMPLAINTS_PG_PORT=$((PORT + 1))"
    fi
    die "port $PORT on $HOST is taken by another program: set COMPLAINTS_PG_PORT to a free port and retry, e.g. export COMPLAINTS_PG_PORT=$((PORT + 1))"
  fi
  : >>"$LOGFILE"
  if $as_root; then chown postgres: "$LOGFILE"; fi
  log "starting PostgreSQL on $HOST:$PORT (data $DATA, log $LOGFILE)"
  if ! run_pg_ctl_start >&2; then
    tail -n 15 "$LOGFILE" >&2 || true
    die "PostgreSQL did not start (log: $LOGFILE)"
  fi
}

# A cluster made when every local user was trusted, or whose password file is gone, gets a new
# password: trusted on loopback for the moment it takes to set it, then asking for it.
secure_cluster() {
  if [[ -s "$PWFILE" ]] && as_pg grep -q '^# eng/postgres.sh: scram-sha-256' "$DATA/pg_hba.conf" 2>/dev/null; then
    return 0
  fi
  log "giving the cluster in $DATA a password (kept in $PWFILE)"
  local port; port="$(running_port)"; port="${port:-$PORT}"
  write_hba trust
  as_pg "$BINDIR/pg_ctl" reload -s -D "$DATA" >&2
  new_password
  # On standard input, not the command line, where anyone may read it; retried until the reload has taken.
  local tries=0
  until printf "set password_encryption = 'scram-sha-256'; alter role postgres password '%s';\n" "$(<"$PWFILE")" \
          | PGCONNECT_TIMEOUT=5 "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$port" -U postgres -d postgres -f - >/dev/null 2>&1; do
    (( ++tries < 50 )) || die "could not set the password of the cluster in $DATA (log: $LOGFILE)"
    sleep 0.1
  done
  write_hba scram-sha-256
  as_pg "$BINDIR/pg_ctl" reload -s -D "$DATA" >&2
}

ensure_db() { # name [--fast]
  local name="$1" fast="${2:-}"
  local port; port="$(running_port)"; port="${port:-$PORT}"
  [[ "$name" == postgres ]] && [[ -z "$fast" ]] && return 0
  if [[ "$(psql_c "$port" postgres "select 1 from pg_database where datname = '$name'")" != 1 ]]; then
    # A concurrent caller may win the race; only fail when the database is still missing.
    if ! psql_c "$port" postgres "create database \"$name\"" 2>/dev/null \
       && [[ "$(psql_c "$port" postgres "select 1 from pg_database where datname = '$name'")" != 1 ]]; then
      die "could not create database $name"
    fi
    log "created database $name"
  fi
  if [[ "$fast" == --fast ]]; then
    psql_c "$port" postgres "alter database \"$name\" set synchronous_commit = off"
  fi
}

# --- commands ------------------------------------------------------------------------------------

cmd="${1:-}"
[[ $# -gt 0 ]] && shift

case "$cmd" in
  start)
    db="${1:-$DEFAULT_DB}"; valid_db_name "$db"
    choose_dirs; find_bindir
    start_cluster
    secure_cluster
    ensure_db "$db"
    conn_string "$(running_port)" "$db"
    ;;
  stop)
    choose_dirs; find_bindir
    take_lock
    rc=0; cluster_status || rc=$?
    if (( rc == 0 )); then
      as_pg "$BINDIR/pg_ctl" stop -w -s -m fast -D "$DATA" >&2
      log "stopped PostgreSQL (data $DATA)"
    else
      log "not running (data $DATA)"
    fi
    ;;
  status)
    choose_dirs; find_bindir
    rc=0; cluster_status || rc=$?
    case $rc in
      0) echo "running on $HOST:$(running_port) (data $DATA, log $LOGFILE)";;
      4) echo "not created yet (data $DATA)"; exit 3;;
      *) echo "not running (data $DATA)"; exit 3;;
    esac
    ;;
  url)
    db="${1:-$DEFAULT_DB}"; valid_db_name "$db"
    choose_dirs
    p=""
    [[ -f "$DATA/postmaster.pid" ]] && p="$(running_port)"
    conn_string "${p:-$PORT}" "$db"
    ;;
  createdb)
    [[ $# -ge 1 ]] || usage
    db="$1"; shift; valid_db_name "$db"
    fast=""
    case "${1:-}" in
      --fast) fast=--fast;;
      "") ;;
      *) usage;;
    esac
    choose_dirs; find_bindir
    start_cluster
    secure_cluster
    ensure_db "$db" "$fast"
    conn_string "$(running_port)" "$db"
    ;;
  *)
    usage
    ;;
esac
