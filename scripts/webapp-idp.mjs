// A stand-in identity provider and calendar feed for scripts/webapp-check.sh, so the original
// web app can log in without a real Authentik: an OpenID Connect issuer (discovery, authorize,
// token, JWKS, userinfo) that signs RS256 tokens with the key the API verifies, and an ICS feed
// whose events name a room of the web app. Node's standard library only.
//
// Usage: node scripts/webapp-idp.mjs   env: IDP_PORT, IDP_KEY (private key PEM file),
//   IDP_CLIENT_ID, WEBAPP_URL (events' LOCATION is WEBAPP_URL/<ICS_ROOM>), ICS_ROOM
import { createServer } from "node:http";
import { createPrivateKey, createPublicKey, randomBytes, sign } from "node:crypto";
import { readFileSync } from "node:fs";

const port = Number(process.env.IDP_PORT ?? 17120);
const clientId = process.env.IDP_CLIENT_ID ?? "reflector-web";
const webapp = process.env.WEBAPP_URL ?? "http://localhost:17110";
const icsRoom = process.env.ICS_ROOM ?? "calendar-room";
const issuer = `http://127.0.0.1:${port}/application/o/reflector`;
const key = createPrivateKey(readFileSync(process.env.IDP_KEY));
const jwk = { ...createPublicKey(key).export({ format: "jwk" }), kid: "webapp-check", alg: "RS256", use: "sig" };

// The one user who logs in.
const user = { sub: "webapp-check-user", email: "ada@example.com", name: "Ada Lovelace", preferred_username: "ada" };

const b64url = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

function jwt(claims) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: "RS256", typ: "JWT", kid: jwk.kid });
  const body = b64url({ iss: issuer, iat: now, exp: now + 3600, ...claims });
  return `${head}.${body}.${sign("sha256", Buffer.from(`${head}.${body}`), key).toString("base64url")}`;
}

const codes = new Map(); // authorization code -> nonce

function icsTime(d) {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

// The feed's times are fixed when the provider starts, so every sync sees the same events.
const t0 = Math.floor(Date.now() / 60e3) * 60e3;

// Two events in the calendar room: one that started two minutes before the provider did (so
// it still gets its meeting, which is created up to a few minutes after an event's start), one
// two hours later.
function calendar() {
  const now = t0;
  const ev = (uid, title, from, to) =>
    [
      "BEGIN:VEVENT",
      `UID:${uid}@webapp-check`,
      `DTSTAMP:${icsTime(new Date(now))}`,
      `DTSTART:${icsTime(new Date(from))}`,
      `DTEND:${icsTime(new Date(to))}`,
      `SUMMARY:${title}`,
      `DESCRIPTION:Agenda for ${title}`,
      `LOCATION:${webapp}/${icsRoom}`,
      "ATTENDEE;CN=Ada Lovelace:mailto:ada@example.com",
      "ATTENDEE;CN=Grace Hopper:mailto:grace@example.com",
      "END:VEVENT",
    ].join("\r\n");
  const hour = 3600e3;
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//reflector-go//webapp-check//EN",
    ev("standup", "Daily standup", now - 2 * 60e3, now + hour),
    ev("review", "Design review", now + 2 * hour, now + 3 * hour),
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

function send(res, status, body, type = "application/json") {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

async function readForm(req) {
  let s = "";
  for await (const chunk of req) s += chunk;
  return new URLSearchParams(s);
}

const base = new URL(issuer).pathname;
const routes = {
  [`GET ${base}/.well-known/openid-configuration`]: (req, res) =>
    send(res, 200, {
      issuer,
      authorization_endpoint: `http://127.0.0.1:${port}/authorize`,
      token_endpoint: `http://127.0.0.1:${port}/token`,
      userinfo_endpoint: `http://127.0.0.1:${port}/userinfo`,
      jwks_uri: `http://127.0.0.1:${port}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      code_challenge_methods_supported: ["S256"],
      scopes_supported: ["openid", "email", "profile", "offline_access"],
    }),
  // No login form: the user is signed in at once and sent back with a code.
  "GET /authorize": (req, res, url) => {
    const code = randomBytes(16).toString("hex");
    codes.set(code, url.searchParams.get("nonce"));
    const back = new URL(url.searchParams.get("redirect_uri"));
    back.searchParams.set("code", code);
    if (url.searchParams.get("state")) back.searchParams.set("state", url.searchParams.get("state"));
    res.writeHead(302, { Location: back.toString() });
    res.end();
  },
  "POST /token": async (req, res) => {
    const form = await readForm(req);
    const code = form.get("code");
    if (form.get("grant_type") === "authorization_code" && !codes.has(code)) {
      return send(res, 400, { error: "invalid_grant" });
    }
    const nonce = codes.get(code);
    codes.delete(code);
    send(res, 200, {
      access_token: jwt({ ...user, aud: clientId }),
      id_token: jwt({ ...user, aud: clientId, ...(nonce ? { nonce } : {}) }),
      refresh_token: randomBytes(16).toString("hex"),
      token_type: "Bearer",
      expires_in: 3600,
      scope: "openid email profile offline_access",
    });
  },
  "GET /jwks": (req, res) => send(res, 200, { keys: [jwk] }),
  "GET /userinfo": (req, res) => send(res, 200, user),
  "GET /calendar.ics": (req, res) => send(res, 200, calendar(), "text/calendar"),
};

createServer(async (req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  const route = routes[`${req.method} ${url.pathname}`];
  console.log(`${req.method} ${url.pathname}`);
  if (!route) return send(res, 404, { error: "not_found" });
  try {
    await route(req, res, url);
  } catch (e) {
    console.error(e);
    send(res, 500, { error: String(e) });
  }
}).listen(port, "127.0.0.1", () => console.log(`webapp-idp: ${issuer}`));
