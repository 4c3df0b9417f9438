#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and benchmarks: a fresh data directory, a
# private port, its Unix socket in the same directory, password (SCRAM) authentication over TCP
# and TLS with a self-signed certificate. Uses Debian's postgresql packages.
#
#   scripts/postgres-cluster.sh start DIR [PORT]   # prints the variables to export
#   scripts/postgres-cluster.sh stop DIR
#
# `start` prints CHANNELKPI_TEST_POSTGRES (an admin URL the tests create their databases
# with) and CHANNELKPI_TEST_POSTGRES_CERT (the server's certificate, for sslmode=verify-full).
# The cluster runs with fsync off (it is thrown away, and tests should not wait on the disk);
# PG_FSYNC=on starts it with PostgreSQL's durable defaults, for benchmarks.
set -euo pipefail

command="${1:-}"
dir="${2:-}"
port="${3:-55432}"
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR [PORT]" >&2
  exit 2
fi
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL's server programs are not installed (Debian: apt-get install postgresql)" >&2
  exit 1
fi
# The server refuses to run as root: run it as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  password="channelkpi-test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" >"$dir/password"
  openssl req -new -x509 -days 2 -nodes -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" \
    -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1
  chmod 600 "$dir/server.key"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U channelkpi --pwfile="$dir/password" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >"$dir/initdb.log"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c synchronous_commit=on -c max_connections=300 -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" \
    start >/dev/null
  echo "export CHANNELKPI_TEST_POSTGRES='postgres://channelkpi:$password@127.0.0.1:$port/postgres'"
  echo "export CHANNELKPI_TEST_POSTGRES_CERT='$dir/server.crt'"
  ;;
stop)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  ;;
*)
  echo "usage: $0 start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
