#!/usr/bin/env bash
# `make bench`: join throughput of the API next to a raw Postgres baseline, in one run.
#   (a) pgbench: a primary-key SELECT of the room table, 64 clients, -j 2, 10 s;
#   (b) wrk: POST /v1/rooms/<name>/meeting for a room whose meeting exists, 64 connections, 10 s;
#   (c) pgbench: the join statement itself (scripts/joinsql), -M simple then -M prepared.
# The two run one after the other on the same machine, database and data, so neither steals
# the other's CPU. Prints join_vs_pg_ratio=<api req/s / pgbench tps> p99_ms=<wrk p99>
# join_vs_stmt_ratio=<api req/s / prepared join statement tps>.
# It then runs the Go benchmarks (BENCH_GO=0 skips them) of pkg/... and prints their key=value lines.
# Postgres and Redis are started by make. env: BENCH_CONNS (64), BENCH_SECONDS (10),
# BENCH_API_PORT (1260), BENCH_EMU_PORT (1261), BENCH_DB (bench), BENCH_GO.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS="${BENCH_CONNS:-64}"
SECS="${BENCH_SECONDS:-10}"
API_PORT="${BENCH_API_PORT:-1260}"
EMU_PORT="${BENCH_EMU_PORT:-1261}"
BENCH_DB="${BENCH_DB:-bench}" # its own database in the cluster; another name beside another run
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
ROOM=bench-room
WORK="$(mktemp -d)"
LOGS=.data/logs
mkdir -p "$LOGS"

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	[ -n "${PG_ADMIN_URL:-}" ] && psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools and binaries ----------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
	echo "bench.sh: installing wrk with apt" >&2
	apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq wrk >/dev/null
fi
"${GO:-go}" build -o bin/ ./cmd/...

# --- a fresh database, the emulator and the API ----------------------------------------------
PG_ADMIN_URL="$(scripts/pg.sh url)"
export DATABASE_URL="${PG_ADMIN_URL/\/postgres\?/\/$BENCH_DB?}"
PGOPTIONS="-c client_min_messages=warning" psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"
bin/reflectorctl migrate up >/dev/null

export REDIS_URL="$(scripts/redis.sh url)"
export HTTP_ADDR="127.0.0.1:${API_PORT}" LOG_LEVEL=warn AUTH_BACKEND=none
# A pool sized to the machine, not to the clients. On 2 cores the join statement's Postgres
# CPU per transaction doubles from 8 to 64 backends (share locks on the one hot meeting row),
# while the api spends less CPU per request with more connections in flight. Measured with the
# join handout's FIFO turns (pkg/store/turns.go), 64 wrk connections: pool 8, 16 and 32 gave
# about 2,000, 2,550 and 2,300 req/s with p99 85, 94 and 138 ms on a loaded machine. The
# production default (32) is sized for a Postgres with more cores.
export DATABASE_MAX_CONNS="${BENCH_DB_CONNS:-16}"
# wrk is one client: the per-client rate limits would answer it 429.
export RATE_LIMIT_WRITES_PER_MINUTE=100000000 RATE_LIMIT_WRITES_BURST=10000000
export DEFAULT_VIDEO_PLATFORM=daily DAILY_API_KEY=bench-key
export DAILY_API_URL="http://127.0.0.1:${EMU_PORT}/daily/v1"
export DAILY_WEBHOOK_SECRET="YmVuY2gtd2ViaG9vay1zZWNyZXQ=" # base64("bench-webhook-secret")

bin/reflectorctl emulate --addr "127.0.0.1:${EMU_PORT}" >"$LOGS/bench-emulator.log" 2>&1 &
pids+=($!)
bin/api >"$LOGS/bench-api.log" 2>&1 &
pids+=($!)
for i in $(seq 150); do
	curl -fs -o /dev/null "http://127.0.0.1:${API_PORT}/readyz" && break
	[[ "$(ps -o stat= -p "${pids[1]}" 2>/dev/null)" == [^Z]* ]] || { echo "bench.sh: api exited, see $LOGS/bench-api.log" >&2; exit 1; }
	[ "$i" = 150 ] && { echo "bench.sh: api not ready after 30 s" >&2; exit 1; }
	sleep 0.2
done

API="http://127.0.0.1:${API_PORT}"
# The machine may be shared: the figures only mean something next to its load.
echo "bench load_avg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,) cores=$(nproc)"
curl -fsS -o /dev/null -XPOST "$API/v1/rooms" -H "Content-Type: application/json" -d "{\"name\":\"$ROOM\"}"
curl -fsS -o /dev/null -XPOST "$API/v1/rooms/$ROOM/meeting" -H "Content-Type: application/json" -d '{}'
ROOM_ID="$(psql "$DATABASE_URL" -tAc "SELECT id FROM room WHERE name = '$ROOM'")"

# --- (a) raw Postgres baseline ---------------------------------------------------------------
echo "SELECT * FROM room WHERE id = '$ROOM_ID';" >"$WORK/pk.sql"
"$PG_BIN/pgbench" -n -c "$CONNS" -j 2 -T "$SECS" -f "$WORK/pk.sql" "$DATABASE_URL" >"$WORK/pgbench.out" 2>&1 ||
	{ cat "$WORK/pgbench.out" >&2; exit 1; }
PG_TPS="$(awk '/^tps = / {print $3; exit}' "$WORK/pgbench.out")"

# --- (b) the API's join path, after a short warm-up (connection pools) ----------------------
URL="$API/v1/rooms/$ROOM/meeting"
wrk -t 2 -c "$CONNS" -d 2s -s scripts/bench_join.lua "$URL" >/dev/null
wrk -t 2 -c "$CONNS" -d "${SECS}s" --latency -s scripts/bench_join.lua "$URL" >"$WORK/wrk.out"
API_RPS="$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.out")"
P99_MS="$(awk '$1 == "99%" {
	v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
	f = (unit == "us") ? 0.001 : (unit == "ms") ? 1 : (unit == "s") ? 1000 : (unit == "m") ? 60000 : -1
	printf "%.2f", v * f }' "$WORK/wrk.out")"
if grep -q "Non-2xx" "$WORK/wrk.out"; then # a rate of errors is no figure
	echo "bench.sh: $(grep 'Non-2xx' "$WORK/wrk.out" | xargs), see $LOGS/bench-api.log" >&2
	exit 1
fi
[ -n "$PG_TPS" ] && [ -n "$API_RPS" ] && [ -n "$P99_MS" ] || {
	cat "$WORK/pgbench.out" "$WORK/wrk.out" >&2
	echo "bench.sh: could not parse the results above" >&2
	exit 1
}
echo "bench.sh: pgbench ${PG_TPS} tps, api ${API_RPS} req/s ($CONNS connections, ${SECS} s each)" >&2

# --- (c) the join statement alone through pgbench, simple protocol vs prepared --------------
# The API's overhead over its own statement is api req/s ÷ the prepared statement's tps.
"${GO:-go}" run ./scripts/joinsql "$ROOM" >"$WORK/join.sql"
for mode in simple prepared; do
	"$PG_BIN/pgbench" -n -M "$mode" -c "$CONNS" -j 2 -T "$SECS" -f "$WORK/join.sql" "$DATABASE_URL" \
		>"$WORK/pgbench-$mode.out" 2>&1 || { cat "$WORK/pgbench-$mode.out" >&2; exit 1; }
done
STMT_SIMPLE="$(awk '/^tps = / {print $3; exit}' "$WORK/pgbench-simple.out")"
STMT_PREPARED="$(awk '/^tps = / {print $3; exit}' "$WORK/pgbench-prepared.out")"
echo "join_stmt_tps clients=$CONNS simple=$STMT_SIMPLE prepared=$STMT_PREPARED"
awk -v a="$API_RPS" -v p="$PG_TPS" -v q="$P99_MS" -v s="$STMT_PREPARED" \
	'BEGIN { printf "join_vs_pg_ratio=%.3f p99_ms=%s join_vs_stmt_ratio=%.3f\n", a / p, q, a / s }'

# --- Go benchmarks (BENCH_GO=0 skips) --------------------------------------------------------------
# Benchmarks in pkg/... print their own key=value lines; only those lines are shown here.
# They get the test cluster and Redis like `make test`.
if [ "${BENCH_GO:-1}" = 1 ]; then
	TEST_DATABASE_URL="$PG_ADMIN_URL" TEST_REDIS_URL="$REDIS_URL" \
		"${GO:-go}" test -run '^$' -bench . -benchtime "${BENCH_GO_TIME:-1x}" ./pkg/... 2>&1 | tee "$WORK/gobench.out" | grep '=' || true
	if grep -qE '^(FAIL|panic:)' "$WORK/gobench.out"; then
		grep -E '^(FAIL|---|panic:)' "$WORK/gobench.out" >&2
		exit 1
	fi
fi
