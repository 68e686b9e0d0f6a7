#!/usr/bin/env bash
# Starts a Postgres 15 cluster on loopback for dev and tests. Idempotent: a running cluster is
# left alone. Data lives under .data/pg (gitignored). Postgres refuses to run as root, so as root
# the cluster belongs to the `postgres` system user.
# Usage: scripts/pg.sh [start|stop|url]   env: PG_PORT (default 55432), PG_DATA (default .data/pg)
set -euo pipefail
cd "$(dirname "$0")/.."
PG_PORT="${PG_PORT:-55432}"
PG_DATA="${PG_DATA:-$PWD/.data/pg}"
# As root the cluster runs as `postgres`, which must be able to reach the data folder; a
# checkout under a private home directory gets its cluster under /tmp instead.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(dirname "$PG_DATA")/.." 2>/dev/null; then
	PG_DATA="/tmp/reflector-pg-$(echo "$PWD" | md5sum | cut -c1-8)"
fi
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$PG_BIN/pg_ctl" ] || { echo "pg.sh: no Postgres server binaries found (set PG_BIN)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgres://postgres@127.0.0.1:${PG_PORT}/postgres?sslmode=disable"; }

start() {
	if [ ! -s "$PG_DATA/PG_VERSION" ]; then
		mkdir -p "$PG_DATA"
		if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PG_DATA"; fi
		chmod 700 "$PG_DATA"
		as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
	fi
	if as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
		return 0
	fi
	as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
		-o "-h 127.0.0.1 -p ${PG_PORT} -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB" >/dev/null
}

stop() {
	as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}

case "${1:-start}" in
start) start; url ;;
stop) stop ;;
url) url ;;
*) echo "usage: $0 [start|stop|url]" >&2; exit 2 ;;
esac
