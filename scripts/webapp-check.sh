#!/usr/bin/env bash
# Browser check: the original Reflector web app (www/ of a checkout of the original repository)
# served on its own origin against this API started as by `make dev`, driven by headless
# Chromium (Debian's chromium) through playwright-core. Logs in through a stand-in OpenID
# provider (scripts/webapp-idp.mjs), then walks a Daily room, a Whereby room and a calendar
# room, asserting the API calls the page made; screenshots go to the output folder (the README
# describes them). Needs the npm registry (the web app's dependencies, playwright-core), so it
# is not part of `make test`.
#
# Usage: scripts/webapp-check.sh /path/to/reflector-checkout [out-dir]
#   env: WEBAPP_CHECK_PORT (base port, default 17100: API +0, emulators +1/+2, web app +10,
#        identity provider +20, Redis +50), PG_DATA/PG_PORT (as for make).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 /path/to/reflector-checkout [out-dir]" >&2; exit 2; }
ORIG="$(realpath "$1")"
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$ROOT/.data/webapp-check"
OUT="$(realpath -m "${2:-$WORK/shots}")"
BASE="${WEBAPP_CHECK_PORT:-17100}"
API_PORT=$BASE EMU_PORT=$((BASE + 1)) REC_PORT=$((BASE + 2))
WEB_PORT=$((BASE + 10)) IDP_PORT=$((BASE + 20)) REDIS_PORT=$((BASE + 50))
WWW="$ORIG/www"
WWW_COPY="$WORK/www"
[ -f "$WWW/package.json" ] || { echo "webapp-check: $WWW/package.json not found: pass a checkout of Monadical-SAS/reflector" >&2; exit 2; }
command -v chromium >/dev/null || { echo "webapp-check: chromium missing: apt-get install -y chromium" >&2; exit 2; }
mkdir -p "$WORK" "$OUT"
LOGS="$WORK/logs"
mkdir -p "$LOGS"

# --- tools: playwright-core (no browser download) and the web app's dependencies --------------
if [ ! -d "$WORK/driver/node_modules/playwright-core" ]; then
	echo "webapp-check: installing playwright-core into $WORK/driver"
	npm install --silent --no-audit --no-fund --prefix "$WORK/driver" playwright-core@1 >/dev/null
fi
# The web app runs from a copy ($WORK/www); the checkout is never modified. Three adaptations
# for a machine whose only way out is the npm registry: react-uuid-hook 0.0.6 (the lockfile's)
# is not in the registry, so 0.0.4 with uuid 11 (uuid 9 refuses the web app's version-7-looking
# namespace); Whereby's rtcstats comes from a GitHub tarball, so the registry's rtcstats 5.2.0;
# Google Fonts are unreachable, so no Poppins.
STAMP="$(git -C "$ORIG" rev-parse HEAD 2>/dev/null || echo "$ORIG") adaptations-2"
if [ "$(cat "$WWW_COPY/.source" 2>/dev/null)" != "$STAMP" ]; then
	echo "webapp-check: copying $WWW to $WWW_COPY"
	rm -rf "$WWW_COPY"
	mkdir -p "$WWW_COPY"
	(cd "$WWW" && tar --exclude=./node_modules --exclude=./.next -cf - .) | tar -xf - -C "$WWW_COPY"
	(cd "$WWW_COPY" && node -e '
		const fs = require("fs"), p = JSON.parse(fs.readFileSync("package.json"));
		p.dependencies["react-uuid-hook"] = "0.0.4";
		p.pnpm = { ...(p.pnpm || {}), overrides: { ...(p.pnpm?.overrides || {}), rtcstats: "5.2.0", "react-uuid-hook>uuid": "11.1.1" } };
		fs.writeFileSync("package.json", JSON.stringify(p, null, 2));')
	sed -i 's#^import { Poppins } from "next/font/google";#const Poppins = (_: unknown) => ({ className: "" }); // webapp-check: no Google Fonts#' "$WWW_COPY/app/layout.tsx"
	echo "webapp-check: installing the web app's dependencies (pnpm)"
	(cd "$WWW_COPY" && npx -y pnpm@10.14.0 install --no-frozen-lockfile) >"$LOGS/web-install.log" 2>&1 ||
		{ tail -n 30 "$LOGS/web-install.log" >&2; exit 1; }
	echo "$STAMP" >"$WWW_COPY/.source"
fi

# --- keys: the stand-in identity provider signs with the private key, the API verifies --------
[ -s "$WORK/jwt.pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt.pem" -pubout -out "$WORK/jwt.pub.pem"

# --- stop what we start, by pid ---------------------------------------------------------------
declare -A PID=()
cleanup() {
	local p
	for p in "${!PID[@]}"; do kill -TERM "${PID[$p]}" 2>/dev/null || true; done
	for p in "${!PID[@]}"; do wait "${PID[$p]}" 2>/dev/null || true; done
	[ "${STARTED_REDIS:-0}" = 1 ] && REDIS_PORT=$REDIS_PORT scripts/redis.sh stop || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # name url [pid]
	for _ in $(seq 600); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$2")" != 000 ] && return 0
		if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
			echo "webapp-check: $1 exited; see $LOGS/$1.log" >&2
			tail -n 30 "$LOGS/$1.log" >&2
			return 1
		fi
		sleep 0.5
	done
	echo "webapp-check: $1 did not answer at $2" >&2
	return 1
}

# --- the API, as `make dev` runs it, on our own ports, Redis and database ---------------------
export PG_PORT="${PG_PORT:-55432}"
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || STARTED_REDIS=1
make -s build
REDIS_PORT=$REDIS_PORT make -s services >/dev/null
WEB_URL="http://localhost:${WEB_PORT}"
API_URL="http://127.0.0.1:${API_PORT}"
IDP_URL="http://127.0.0.1:${IDP_PORT}"
REDIS_PORT=$REDIS_PORT API_PORT=$API_PORT EMU_PORT=$EMU_PORT REC_PORT=$REC_PORT \
	DEV_DB="${WEBAPP_CHECK_DB:-reflector_webapp_check}" \
	AUTH_BACKEND=jwt AUTH_JWT_PUBLIC_KEY="$WORK/jwt.pub.pem" \
	CORS_ORIGIN="$WEB_URL" UI_BASE_URL="$WEB_URL" ICS_ALLOW_PRIVATE_IPS=true \
	scripts/dev.sh >"$LOGS/dev.log" 2>&1 &
PID[dev]=$!
wait_http dev "$API_URL/readyz" "${PID[dev]}"

# --- the stand-in identity provider and calendar feed -----------------------------------------
IDP_PORT=$IDP_PORT IDP_KEY="$WORK/jwt.pem" IDP_CLIENT_ID=reflector-web WEBAPP_URL="$WEB_URL" \
	ICS_ROOM=webcheck-calendar node scripts/webapp-idp.mjs >"$LOGS/idp.log" 2>&1 &
PID[idp]=$!
wait_http idp "$IDP_URL/jwks" "${PID[idp]}"

# --- the original web app, on its own origin -----------------------------------------------------
export API_URL SERVER_API_URL="$API_URL" WEBSOCKET_URL="ws://127.0.0.1:${API_PORT}"
export SITE_URL="$WEB_URL" NEXTAUTH_URL="$WEB_URL" NEXTAUTH_SECRET="webapp-check-secret"
export AUTHENTIK_ISSUER="$IDP_URL/application/o/reflector" AUTHENTIK_REFRESH_TOKEN_URL="$IDP_URL/token"
export AUTHENTIK_CLIENT_ID=reflector-web AUTHENTIK_CLIENT_SECRET=webapp-check
export KV_URL="redis://127.0.0.1:${REDIS_PORT}/1"
export FEATURE_REQUIRE_LOGIN=true FEATURE_ROOMS=true FEATURE_BROWSE=true
export NEXT_TELEMETRY_DISABLED=1
if [ ! -s "$WWW_COPY/.next/BUILD_ID" ]; then
	echo "webapp-check: building the web app (next build; minutes)"
	(cd "$WWW_COPY" && node_modules/.bin/next build --experimental-build-mode compile) >"$LOGS/web-build.log" 2>&1 ||
		{ tail -n 40 "$LOGS/web-build.log" >&2; exit 1; }
fi
(cd "$WWW_COPY" && exec node_modules/.bin/next start -p "$WEB_PORT") >"$LOGS/web.log" 2>&1 &
PID[web]=$!
wait_http web "$WEB_URL/api/health" "${PID[web]}"

# --- drive it ---------------------------------------------------------------------------------
echo "webapp-check: web app $WEB_URL, API $API_URL, screenshots in $OUT"
WEB_URL="$WEB_URL" API_URL="$API_URL" IDP_URL="$IDP_URL" \
	OUT="$OUT" DRIVER_DIR="$WORK/driver" \
	node scripts/webapp-check.mjs
