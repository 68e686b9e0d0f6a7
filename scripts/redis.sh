#!/usr/bin/env bash
# Starts a Redis server on loopback for dev and tests, installing redis-server with apt when it
# is missing. Idempotent. Persistence is off: Redis holds queues that the tests recreate.
# Usage: scripts/redis.sh [start|stop|url|install]   env: REDIS_PORT (default 56379)
set -euo pipefail
cd "$(dirname "$0")/.."
REDIS_PORT="${REDIS_PORT:-56379}"
DATA="$PWD/.data/redis"

url() { echo "redis://127.0.0.1:${REDIS_PORT}/0"; }

install() {
	command -v redis-server >/dev/null && return 0
	echo "redis.sh: installing redis-server with apt" >&2
	apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null
}

start() {
	install
	if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
	mkdir -p "$DATA"
	redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
		--databases 64 --daemonize yes --dir "$DATA" --logfile "$DATA/redis.log" \
		--pidfile "$DATA/redis.pid"
	for _ in $(seq 50); do
		redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "redis.sh: redis did not start, see $DATA/redis.log" >&2
	exit 1
}

stop() { redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }

case "${1:-start}" in
start) start; url ;;
stop) stop ;;
install) install ;;
url) url ;;
*) echo "usage: $0 [start|stop|url]" >&2; exit 2 ;;
esac
