-- wrk script for scripts/bench.sh: every request asks for the room's meeting (get-or-create on
-- a room whose meeting exists), the web app's join path.
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
