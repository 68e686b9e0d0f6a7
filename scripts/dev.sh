#!/usr/bin/env bash
# Runs the whole system locally: the reflector database (created and migrated), the provider
# emulators (Daily and Whereby, so no account is needed), api, worker and scheduler, each in
# the background with logs under .data/logs. Waits until the API is ready, prints how to use
# it, then stays in the foreground; Ctrl-C or SIGTERM stops every child.
# `make dev` builds bin/ and starts Postgres and Redis first; run this through it.
# env: API_PORT, EMU_PORT, REC_PORT, DEV_DB and AUTH_BACKEND override the defaults below.
# Idempotent: children left behind by an earlier run that was killed hard are stopped first.
set -euo pipefail
cd "$(dirname "$0")/.."

# Ports and database name can be overridden, so that several checkouts run side by side.
API_PORT="${API_PORT:-1250}"
EMU_PORT="${EMU_PORT:-1251}"
DEV_DB="${DEV_DB:-reflector}"
LOGS=.data/logs
PIDS=.data/dev
PROCS=(emulator recemu api worker scheduler)
REC_PORT="${REC_PORT:-1252}" # recording back ends: S3, SQS, speech-to-text (reflectorctl emulate-recording)
WORKER_OPS_PORT="${WORKER_OPS_PORT:-1253}"       # worker /healthz, /readyz, /metrics
SCHEDULER_OPS_PORT="${SCHEDULER_OPS_PORT:-1254}" # scheduler /healthz, /readyz, /metrics

for b in api worker scheduler reflectorctl; do
	[ -x "bin/$b" ] || { echo "dev.sh: bin/$b missing: run \`make dev\`" >&2; exit 1; }
done

# --- environment shared by every child (the emulators read the keys and secrets too) ---------
PG_ADMIN_URL="$(scripts/pg.sh url)"
export DATABASE_URL="${PG_ADMIN_URL/\/postgres\?/\/${DEV_DB}?}"
export REDIS_URL="$(scripts/redis.sh url)" # DB 0; the tests use logical DBs 1-63
export HTTP_ADDR=":${API_PORT}"
export BASE_URL="http://localhost:${API_PORT}"
export AUTH_BACKEND="${AUTH_BACKEND:-none}" # jwt needs AUTH_JWT_PUBLIC_KEY
export DEFAULT_VIDEO_PLATFORM=daily
export DAILY_MIGRATION_ENABLED=true
export DAILY_API_KEY=dev-key
export DAILY_API_URL="http://127.0.0.1:${EMU_PORT}/daily/v1"
export DAILY_WEBHOOK_SECRET="ZGV2LWRhaWx5LXdlYmhvb2stc2VjcmV0" # base64("dev-daily-webhook-secret")
export WHEREBY_API_KEY=dev-key
export WHEREBY_API_URL="http://127.0.0.1:${EMU_PORT}/whereby/v1"
export WHEREBY_WEBHOOK_SECRET=dev-whereby-webhook-secret
export LOG_JSON=false
export WORKER_SHUTDOWN_TIMEOUT="${WORKER_SHUTDOWN_TIMEOUT:-5s}"
# Recordings against the in-memory S3/SQS/speech-to-text of `reflectorctl emulate-recording`.
export TRANSCRIPTION_URL="http://127.0.0.1:${REC_PORT}/stt/v1"
export TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL="http://127.0.0.1:${REC_PORT}"
export AWS_SQS_ENDPOINT_URL="http://127.0.0.1:${REC_PORT}"
export AWS_PROCESS_RECORDING_QUEUE_URL="http://127.0.0.1:${REC_PORT}/000000000000/recordings"
export TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID=dev TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY=dev
export TRANSCRIPT_STORAGE_AWS_BUCKET_NAME=reflector-dev
# No Daily bucket by default: Daily keeps the cloud recordings (the emulator serves a synthetic
# audio file behind each access link), which the worker downloads and transcribes. Set one to
# try the raw-tracks path instead (the emulator then does not write the tracks).
export DAILYCO_STORAGE_AWS_BUCKET_NAME="${DAILYCO_STORAGE_AWS_BUCKET_NAME:-}" WHEREBY_STORAGE_AWS_BUCKET_NAME=whereby-dev

# The same environment for reflectorctl in another shell: `source .data/dev.env` or `make ctl`.
DEV_ENV=.data/dev.env
mkdir -p .data
for v in DATABASE_URL REDIS_URL HTTP_ADDR BASE_URL AUTH_BACKEND DEFAULT_VIDEO_PLATFORM DAILY_MIGRATION_ENABLED \
	DAILY_API_KEY DAILY_API_URL DAILY_WEBHOOK_SECRET WHEREBY_API_KEY WHEREBY_API_URL WHEREBY_WEBHOOK_SECRET LOG_JSON \
	TRANSCRIPTION_URL TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL AWS_SQS_ENDPOINT_URL AWS_PROCESS_RECORDING_QUEUE_URL \
	TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY TRANSCRIPT_STORAGE_AWS_BUCKET_NAME \
	DAILYCO_STORAGE_AWS_BUCKET_NAME WHEREBY_STORAGE_AWS_BUCKET_NAME; do
	printf 'export %s=%q\n' "$v" "${!v}"
done >"$DEV_ENV"

# --- stop every child on Ctrl-C, SIGTERM or any exit (set before anything starts) -----------
declare -A PID=()

# alive: kill -0 also succeeds on an exited child that is not reaped yet (a zombie).
alive() { local st; st="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$st" != Z* ]]; }

stop_all() {
	trap - INT TERM EXIT
	local p
	for p in "${!PID[@]}"; do kill -TERM "${PID[$p]}" 2>/dev/null || true; done
	for _ in $(seq 100); do
		local alive=0
		for p in "${!PID[@]}"; do alive "${PID[$p]}" && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for p in "${!PID[@]}"; do
		kill -KILL "${PID[$p]}" 2>/dev/null || true
		rm -f "$PIDS/$p.pid"
	done
	wait 2>/dev/null || true
}
trap 'echo; echo "dev.sh: stopping"; stop_all; exit 0' INT TERM
trap stop_all EXIT

# --- stop what an earlier run left behind (only our own binaries, by recorded pid) -----------
mkdir -p "$LOGS" "$PIDS"
for p in "${PROCS[@]}"; do
	f="$PIDS/$p.pid"
	[ -s "$f" ] || continue
	pid="$(cat "$f")"
	if [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$PWD/bin/"* ]]; then
		echo "dev.sh: stopping $p (pid $pid) left by an earlier run"
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$f"
done

# --- database --------------------------------------------------------------------------------
if [ "$(psql "$PG_ADMIN_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '${DEV_DB}'")" != 1 ]; then
	psql "$PG_ADMIN_URL" -q -c "CREATE DATABASE \"${DEV_DB}\""
	echo "dev.sh: created database ${DEV_DB}"
fi
bin/reflectorctl migrate up

# --- children --------------------------------------------------------------------------------
start() { # name, command...
	local name="$1"
	shift
	"$@" >"$LOGS/$name.log" 2>&1 &
	PID[$name]=$!
	echo "${PID[$name]}" >"$PIDS/$name.pid"
}

died() { # name: report a child that exited and show the end of its log
	echo "dev.sh: $1 exited; last lines of $LOGS/$1.log:" >&2
	tail -n 20 "$LOGS/$1.log" >&2
}

start emulator bin/reflectorctl emulate --addr "127.0.0.1:${EMU_PORT}" \
	--daily-webhook-url "http://127.0.0.1:${API_PORT}/v1/daily/webhook"
start recemu bin/reflectorctl emulate-recording --addr "127.0.0.1:${REC_PORT}"
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${EMU_PORT}/daily/v1/rooms")" != 000 ] && break
	alive "${PID[emulator]}" || { died emulator; exit 1; }
	sleep 0.1
done
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${REC_PORT}/")" != 000 ] && break
	alive "${PID[recemu]}" || { died recemu; exit 1; }
	sleep 0.1
done
start api bin/api
start worker env OPS_ADDR="127.0.0.1:${WORKER_OPS_PORT}" bin/worker
start scheduler env OPS_ADDR="127.0.0.1:${SCHEDULER_OPS_PORT}" bin/scheduler

ready=0
for _ in $(seq 300); do
	if curl -fs -o /dev/null "http://127.0.0.1:${API_PORT}/readyz"; then ready=1; break; fi
	for p in emulator api; do alive "${PID[$p]}" || { died "$p"; exit 1; }; done
	sleep 0.2
done
[ "$ready" = 1 ] || { echo "dev.sh: /readyz did not answer within 60 s; see $LOGS/api.log" >&2; exit 1; }

cat <<EOF

Reflector is running at http://localhost:${API_PORT}   (API docs: http://localhost:${API_PORT}/openapi.json)
  emulated providers: Daily ${DAILY_API_URL}, Whereby ${WHEREBY_API_URL}
  logs:               $LOGS/{api,worker,scheduler,emulator,recemu}.log
  metrics:            api http://localhost:${API_PORT}/metrics, worker :${WORKER_OPS_PORT}/metrics, scheduler :${SCHEDULER_OPS_PORT}/metrics
  recordings:         S3/SQS at http://127.0.0.1:${REC_PORT}, speech-to-text at ${TRANSCRIPTION_URL}
  database:           ${DATABASE_URL}

The CLI, in another shell:  source ${DEV_ENV} && bin/reflectorctl recordings list
                       or:  make ctl ARGS="recordings list"

Create a room and get its meeting:
  curl -s -XPOST localhost:${API_PORT}/v1/rooms -H 'Content-Type: application/json' -d '{"name":"demo"}' && curl -s -XPOST localhost:${API_PORT}/v1/rooms/demo/meeting

The recording loop, step by step (a Daily recording stopped at the emulator, transcribed):
  source ${DEV_ENV} && bin/reflectorctl demo

Ctrl-C stops everything.
EOF

# Stay in the foreground until a signal arrives. A child failing stops everything; one that
# exits cleanly (nothing left to do) is reported and the rest keep running.
declare -A NAME=()
for p in "${PROCS[@]}"; do NAME[${PID[$p]}]=$p; done
while [ "${#NAME[@]}" -gt 0 ]; do
	status=0
	wait -n -p done_pid "${!NAME[@]}" || status=$?
	p="${NAME[$done_pid]}"
	unset "NAME[$done_pid]"
	unset "PID[$p]"
	rm -f "$PIDS/$p.pid"
	if [ "$status" != 0 ]; then
		died "$p"
		exit 1
	fi
	echo "dev.sh: warning: $p exited on its own (status 0); the others keep running" >&2
done
exit 1
