// Drives the original Reflector web app in headless Chromium (Debian's chromium through
// playwright-core) against this API, as a user would, and asserts the API calls the pages
// made. Started by scripts/webapp-check.sh, which serves the web app, the API (as `make dev`)
// and the stand-in identity provider. Screenshots go to $OUT (described in the README).
//
// env: WEB_URL, API_URL, IDP_URL (the stand-in provider, which serves the calendar), OUT, DRIVER_DIR
// (where playwright-core is installed).
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const { chromium } = createRequire(`${process.env.DRIVER_DIR}/`)("playwright-core");
const WEB = process.env.WEB_URL;
const API = process.env.API_URL;
const IDP = process.env.IDP_URL;
const OUT = process.env.OUT;
const ROOMS = { daily: "webcheck-daily", whereby: "webcheck-whereby", calendar: "webcheck-calendar" };
mkdirSync(OUT, { recursive: true });

let step = 0;
const log = (...a) => console.log(`webapp-check: ${a.join(" ")}`);
function check(ok, what) {
  if (!ok) throw new Error(`FAILED: ${what}`);
  log(`ok  ${what}`);
}

// --- stand-ins for the providers' in-call pages (their hosts are unreachable here) ----------
// The Daily page answers daily-js's iframe protocol (launch config, load, join) far enough for
// the web app to see "joined-meeting"; it shows the meeting token's claims.
const dailyPage = `<!doctype html><html><body style="margin:0;font:16px sans-serif;background:#1f2d3d;color:#fff">
<div style="padding:32px"><h2>Emulated Daily call</h2><p id="room"></p><p id="state">loading…</p><pre id="token" style="white-space:pre-wrap"></pre></div>
<script>
const say = (m) => parent.postMessage(Object.assign({ what: "iframe-call-message" }, m), "*");
const u = new URL(location.href);
document.getElementById("room").textContent = "room " + u.pathname.slice(1);
const t = u.searchParams.get("t");
if (t) { try { document.getElementById("token").textContent = "meeting token: " +
  JSON.stringify(JSON.parse(atob(t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))), null, 1); } catch (e) {} }
addEventListener("message", (e) => {
  const d = e.data || {};
  if (d.what !== "iframe-call-message") return;
  if (d.action === "iframe-launch-config") say({ action: "loaded" });
  if (d.action === "join-meeting") {
    document.getElementById("state").textContent = "joined as " + ((d.properties && d.properties.userName) || "guest");
    const local = { session_id: "webcheck-session", user_id: "webcheck", user_name: "Ada", local: true, owner: false, joined_at: new Date().toISOString() };
    say({ action: "joined-meeting", participants: { local } });
  }
});
say({ action: "iframe-ready-for-launch-config" });
</script></body></html>`;

const wherebyPage = `<!doctype html><html><body style="margin:0;font:16px sans-serif;background:#f4f4f4">
<div style="padding:120px 32px"><h2>Emulated Whereby room</h2><p id="room"></p></div>
<script>document.getElementById("room").textContent = location.host + location.pathname;</script></body></html>`;

async function routeExternal(context) {
  await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => {
    const host = new URL(route.request().url()).host;
    if (host.endsWith(".daily.co") && route.request().resourceType() === "document") {
      return route.fulfill({ contentType: "text/html", body: dailyPage });
    }
    if (host.endsWith(".whereby.com") && route.request().resourceType() === "document") {
      return route.fulfill({ contentType: "text/html", body: wherebyPage });
    }
    return route.abort(); // Sentry, fonts, analytics: the machine has no way out
  });
}

// --- what the pages asked of the API --------------------------------------------------------
const calls = []; // {method, path, status}
const problems = []; // CORS and failed requests
const consoleLines = []; // the page's errors and warnings, shown on failure
function watch(page) {
  page.on("response", (r) => {
    if (!r.url().startsWith(API)) return;
    const u = new URL(r.url());
    calls.push({ method: r.request().method(), path: u.pathname, status: r.status() });
  });
  page.on("requestfailed", (r) => {
    // ERR_ABORTED: a request still in flight when the check navigated away, not a failure.
    if (r.url().startsWith(API) && r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") consoleLines.push(`${m.type()}: ${m.text().slice(0, 300)}`);
    if (m.type() === "error" && /CORS|Access-Control/i.test(m.text())) problems.push(m.text());
  });
}
const called = (method, re, status) =>
  calls.some((c) => c.method === method && re.test(c.path) && (status === undefined || c.status === status));

async function waitFor(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`FAILED: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function shot(page, name, what) {
  const file = join(OUT, `${String(++step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
  log(`screenshot ${file}: ${what}`);
}

async function api(token, method, path, body) {
  const r = await fetch(API + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, json, text };
}

// --- the walk -------------------------------------------------------------------------------
async function login(page) {
  await page.goto(`${WEB}/rooms`);
  // /rooms needs a login: the web app sends the user to NextAuth, then to the provider.
  await page.waitForURL(/\/rooms|signin/, { timeout: 60000 });
  if (!page.url().startsWith(`${WEB}/rooms`)) {
    await shot(page, "sign-in", "/rooms needs a login: NextAuth's sign-in page (provider: the stand-in Authentik)");
    await page.getByRole("button", { name: /Authentik/i }).click();
    await page.waitForURL(`${WEB}/rooms`, { timeout: 60000 });
  }
  const session = await page.evaluate(() => fetch("/api/auth/session").then((r) => r.json()));
  check(session?.user?.id === "webapp-check-user", `logged in; the session's user id (from GET /v1/me) is ${session?.user?.id}`);
  return session.accessToken;
}

// Every run starts from no rooms of the check's user (the database outlives runs).
async function resetRooms(token) {
  const r = await api(token, "GET", "/v1/rooms?size=100");
  for (const room of r.json?.items ?? []) {
    if (room.user_id === "webapp-check-user") await api(token, "DELETE", `/v1/rooms/${room.id}`);
  }
}

async function createRoomInDialog(page) {
  await page.getByRole("button", { name: "Add Room" }).click();
  await page.getByPlaceholder("room-name").fill(ROOMS.whereby);
  await shot(page, "add-room-dialog", "the web app's Add Room dialog (Whereby is its default platform)");
  await page.locator('button[type="submit"][form="room-form"]').click();
  await waitFor("the dialog's POST /v1/rooms", () => called("POST", /^\/v1\/rooms$/));
  const c = calls.filter((c) => c.method === "POST" && c.path === "/v1/rooms").at(-1);
  check(c.status === 200, `the dialog's POST /v1/rooms (ics_fetch_interval 5) answered ${c.status}`);
  await page.getByText(ROOMS.whereby).first().waitFor();
}

// tokenClaims decodes the payload of the Daily meeting token in a room URL (?t=...).
function tokenClaims(url) {
  const t = new URL(url).searchParams.get("t");
  try {
    return JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString());
  } catch {
    return null;
  }
}

async function dailyRoom(page, token) {
  await page.goto(`${WEB}/${ROOMS.daily}`);
  await waitFor("POST .../join", () => called("POST", new RegExp(`^/v1/rooms/${ROOMS.daily}/meetings/[^/]+/join$`)), 60000);
  check(called("POST", new RegExp(`^/v1/rooms/${ROOMS.daily}/meeting$`), 200), "the room page got its meeting (POST /v1/rooms/{name}/meeting 200)");
  check(called("POST", /\/join$/, 200), "the Daily room joined (POST .../join 200)");
  // daily-js reports joined-meeting; the web app then starts cloud and raw-tracks recordings.
  await waitFor("two POST .../recordings/start", () =>
    calls.filter((c) => c.method === "POST" && /^\/v1\/meetings\/[^/]+\/recordings\/start$/.test(c.path)).length >= 2, 60000);
  const starts = calls.filter((c) => /recordings\/start$/.test(c.path));
  check(starts.every((c) => c.status === 200), `recordings/start answered ${starts.map((c) => c.status).join(", ")}`);
  const frame = page.frames().find((f) => f.url().includes(".daily.co/"));
  await frame.getByText(/joined as/).waitFor();
  const claims = tokenClaims(frame.url());
  check(claims?.r === new URL(frame.url()).pathname.slice(1), "the Daily frame joined with a meeting token for its room");
  // Auto-recording (start_cloud_recording, "sr" in Daily's tokens) is reported, not required:
  // the web app starts recordings through recordings/start anyway.
  log(`note: the meeting token ${claims?.sr ? "carries" : "does not carry"} start_cloud_recording (room trigger automatic-2nd-participant)`);
  await shot(page, "daily-room", "a Daily room joined: the emulated call page inside the web app's Daily frame");
  // The web app uses the meeting id as the cloud recording's instanceId: starting it again
  // must find it running at the (emulated) provider.
  const meetingId = calls.find((c) => /\/join$/.test(c.path)).path.split("/")[5];
  const again = await api(token, "POST", `/v1/meetings/${meetingId}/recordings/start`, { type: "cloud", instanceId: meetingId });
  check(again.status === 200 && again.json?.status === "already_active",
    `the cloud recording is running at the provider (a second start answers ${again.status} ${again.text.slice(0, 80)})`);
}

async function wherebyRoom(page) {
  await page.goto(`${WEB}/${ROOMS.whereby}`);
  await waitFor("the Whereby frame", () => page.frames().find((f) => f.url().includes(".whereby.com/")), 60000);
  const frame = page.frames().find((f) => f.url().includes(".whereby.com/"));
  await frame.getByText("Emulated Whereby room").waitFor();
  check(called("POST", new RegExp(`^/v1/rooms/${ROOMS.whereby}/meeting$`), 200), "the Whereby room page got its meeting");
  await page.waitForTimeout(1000);
  await shot(page, "whereby-room", "a Whereby room: the web app's <whereby-embed> showing the emulated room");
}

async function calendarRoom(page, token) {
  const ics = await api(token, "POST", `/v1/rooms/${ROOMS.calendar}/ics/sync`);
  check(ics.status === 200, `calendar synced (POST .../ics/sync ${ics.status}: ${ics.text.slice(0, 120)})`);
  // The scheduler creates the meetings of events about to start every 30 s.
  const meeting = await waitFor("the calendar meeting", async () => {
    const r = await api(token, "GET", `/v1/rooms/${ROOMS.calendar}/meetings/active`);
    return r.json?.find?.((m) => m.calendar_event_id);
  }, 90000);
  await page.goto(`${WEB}/${ROOMS.calendar}`);
  await page.getByText("Daily standup").first().waitFor({ timeout: 60000 });
  await page.getByRole("button", { name: /End Meeting/i }).waitFor();
  check(called("GET", new RegExp(`^/v1/rooms/${ROOMS.calendar}/meetings/active$`), 200), "the meeting list of the calendar room came from GET .../meetings/active");
  await shot(page, "calendar-room", "the calendar room's meeting list: the event under way, with Join Now and (owner) End Meeting");
  // Join Now opens the meeting's own page, which loads it by id and joins its Daily room.
  await page.getByRole("button", { name: /Join Now/i }).click();
  await page.waitForURL(`${WEB}/${ROOMS.calendar}/${meeting.id}`);
  const joined = new RegExp(`^/v1/rooms/${ROOMS.calendar}/meetings/${meeting.id}/join$`);
  await waitFor("the calendar meeting's /join", () => called("POST", joined), 60000);
  check(called("GET", new RegExp(`^/v1/rooms/${ROOMS.calendar}/meetings/${meeting.id}$`), 200), "Join Now: the meeting page loaded it (GET .../meetings/{id} 200)");
  check(called("POST", joined, 200), "Join Now: POST .../meetings/{id}/join 200");
  await page.frames().find((f) => f.url().includes(".daily.co/"))?.getByText(/joined as/).waitFor();
  await shot(page, "calendar-meeting", "Join Now: the calendar meeting's own page, joined in its Daily frame");
  await page.goto(`${WEB}/${ROOMS.calendar}`);
  await page.getByRole("button", { name: /End Meeting/i }).waitFor({ timeout: 60000 });
  await page.getByRole("button", { name: /End Meeting/i }).click();
  await waitFor("PATCH .../deactivate", () => called("PATCH", /^\/v1\/meetings\/[^/]+\/deactivate$/), 30000);
  check(called("PATCH", new RegExp(`^/v1/meetings/${meeting.id}/deactivate$`), 200), "End Meeting: PATCH /v1/meetings/{id}/deactivate 200");
  await page.getByText("Daily standup").first().waitFor({ state: "detached", timeout: 30000 });
  const after = await api(token, "GET", `/v1/rooms/${ROOMS.calendar}/meetings/${meeting.id}`);
  check(after.json?.is_active === false, `the ended meeting is inactive (is_active=${after.json?.is_active})`);
  await shot(page, "calendar-room-ended", "after End Meeting: the ended meeting is gone from the list");
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await routeExternal(context);
  const page = await context.newPage();
  watch(page);
  try {
    const token = await login(page);
    await resetRooms(token);
    const daily = await api(token, "POST", "/v1/rooms", { name: ROOMS.daily, platform: "daily", recording_type: "cloud",
      recording_trigger: "automatic-2nd-participant", room_mode: "group", skip_consent: true, ics_fetch_interval: 5 });
    check(daily.status === 200, `Daily room created through the API (${daily.status})`);
    const cal = await api(token, "POST", "/v1/rooms", { name: ROOMS.calendar, platform: "daily", ics_enabled: true,
      ics_url: `${IDP}/calendar.ics`, ics_fetch_interval: 5 });
    check(cal.status === 200, `calendar room created through the API (${cal.status})`);
    await page.reload();
    await createRoomInDialog(page);
    await page.waitForLoadState("networkidle");
    await shot(page, "rooms", "the rooms page after the dialog: three rooms listed by GET /v1/rooms across origins");
    await dailyRoom(page, token);
    await wherebyRoom(page);
    await calendarRoom(page, token);
    check(problems.length === 0, `no CORS error or failed API request${problems.length ? ": " + problems.join("; ") : ""}`);
    log(`PASS (${calls.length} API calls from the browser)`);
  } catch (e) {
    await shot(page, "failure", `page at failure: ${page.url()}`).catch(() => {});
    console.error(e.message);
    console.error("API calls seen:", calls.map((c) => `${c.method} ${c.path} ${c.status}`).join("\n  "));
    if (problems.length) console.error("problems:", problems.join("\n  "));
    console.error("page console:", consoleLines.slice(-30).join("\n  "));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
