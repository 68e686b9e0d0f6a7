#!/usr/bin/env bash
# Starts a Postgres 15 cluster on loopback for dev and tests. Idempotent: a running cluster is
# left alone. Data lives under .data/pg (gitignored). Postgres refuses to run as root, so as root
# the cluster belongs to the `postgres` system user.
# Usage: scripts/pg.sh [start|stop|url]   env: PG_PORT (default 55432), PG_DATA (default .data/pg)
set -euo pipefail
cd "$(dirname "$0")/.."
PG_PORT="${PG_PORT:-55432}"
# The data folder depends only on the checkout's path, never on what exists yet, so every run
# (and `make stop`) finds the same cluster. As root the cluster runs as `postgres`, which must be
# able to reach the checkout; one under a private home directory gets its cluster under /tmp.
if [ -z "${PG_DATA:-}" ]; then
	PG_DATA="$PWD/.data/pg"
	if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$PWD" 2>/dev/null; then
		PG_DATA="/tmp/reflector-pg-$(echo "$PWD" | md5sum | cut -c1-8)"
	fi
fi
case "$PG_DATA" in /*) ;; *) PG_DATA="$PWD/$PG_DATA" ;; esac # commands run as postgres run from /
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$PG_BIN/pg_ctl" ] || { echo "pg.sh: no Postgres server binaries found (set PG_BIN)" >&2; exit 1; }

# as_owner runs a server command as the cluster's owner; as root from / (every path here is
# absolute), so a checkout postgres cannot enter does not make each command complain about it.
as_owner() {
	if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
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
	port_free
	as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
		-o "-h 127.0.0.1 -p ${PG_PORT} -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB" >/dev/null
}

# port_free fails with one line when another cluster (another checkout's) holds the port.
port_free() {
	local pid holder
	pid=$(ss -Hltnp "sport = :${PG_PORT}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
	if [ -z "$pid" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/${PG_PORT}") 2>/dev/null; then return 0; fi
	holder=$( [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -o -- '-D [^ ]*' | cut -c4- || true)
	echo "pg.sh: port ${PG_PORT} is held by ${holder:+the cluster in }${holder:-another process}, not by $PG_DATA; stop it or pick another port: PG_PORT=55433 make ..." >&2
	exit 1
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
