package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

// fuzzRoute is one request shape the fuzzer fills: {name} takes the fuzzed path parameter,
// the body and the query are the fuzzed ones.
type fuzzRoute struct {
	method, path string
	sign         string // "daily" or "whereby": the body is signed as the provider would
	textPlain    bool   // sendBeacon's body (leave)
}

// fuzzRoutes are the routes whose decoders take client input: room bodies, meeting and join
// bodies, consent and recording bodies, list and calendar queries, room-name parameters,
// and the signed provider webhooks. Routes that only delete or end something are left out:
// one accepted request would leave every later input nothing to decode against.
func fuzzRoutes(roomID, meetingID string) []fuzzRoute {
	meet := "/v1/rooms/fz/meetings/" + meetingID
	return []fuzzRoute{
		{method: "POST", path: "/v1/rooms"},
		{method: "PATCH", path: "/v1/rooms/" + roomID},
		{method: "GET", path: "/v1/rooms"},
		{method: "GET", path: "/v1/rooms/name/{name}"},
		{method: "POST", path: "/v1/rooms/{name}/meeting"},
		{method: "POST", path: "/v1/rooms/fz/meeting"},
		{method: "GET", path: "/v1/rooms/fz/meetings/active"},
		{method: "GET", path: "/v1/rooms/fz/meetings"},
		{method: "GET", path: "/v1/rooms/fz/meetings/upcoming"},
		{method: "GET", path: "/v1/rooms/fz/meetings/{name}"},
		{method: "POST", path: meet + "/join"},
		{method: "POST", path: meet + "/joining"},
		{method: "POST", path: meet + "/joined"},
		{method: "POST", path: meet + "/leave", textPlain: true},
		{method: "POST", path: "/v1/rooms/{name}/meetings/" + meetingID + "/joined"},
		{method: "POST", path: "/v1/meetings/" + meetingID + "/consent"},
		{method: "POST", path: "/v1/meetings/{name}/consent"},
		{method: "POST", path: "/v1/meetings/" + meetingID + "/recordings/start"},
		{method: "GET", path: "/v1/rooms/{name}/ics/status"},
		{method: "POST", path: "/v1/daily/webhook", sign: "daily"},
		{method: "POST", path: "/v1/whereby", sign: "whereby"},
	}
}

// FuzzRequestDecoders sends fuzzed bodies, queries and path parameters to every decoding
// route of the real stack: the answer is never a 5xx, a 4xx carries {"detail"}, and a refused
// request leaves every table as it was. `make test` runs the seeds (testdata/fuzz);
// `go test -fuzz FuzzRequestDecoders ./pkg/httpapi` explores.
func FuzzRequestDecoders(f *testing.F) {
	a := apptest.New(f, apptest.Options{})
	r := a.CreateRoom(f, "fz")
	a.CreateRoom(f, "fz-other")
	m := a.Do(f, http.MethodPost, "/v1/rooms/fz/meeting", nil).JSON(f)
	routes := fuzzRoutes(r.ID.String(), m["id"].(string))
	f.Add(uint8(0), []byte(`{"name":"fz-seed"}`), "", "fz")
	f.Fuzz(func(t *testing.T, route uint8, body []byte, query, param string) {
		rt := routes[int(route)%len(routes)]
		before := fingerprint(t, a)
		status, resp := send(t, a, rt, body, query, param)
		require.Less(t, status, 500, "%s %s %q: %s", rt.method, rt.path, body, resp)
		if status < 400 {
			return
		}
		var detail map[string]any
		require.NoError(t, json.Unmarshal(resp, &detail), "a refusal is JSON: %s", resp)
		require.Contains(t, detail, "detail")
		require.Equal(t, before, fingerprint(t, a), "%s %s %q refused with %d changed the database", rt.method, rt.path, body, status)
	})
}

// send builds the request (the query made transmissible, the parameter path-escaped, a
// webhook signed) and returns the status and body.
func send(t *testing.T, a *apptest.App, rt fuzzRoute, body []byte, query, param string) (int, []byte) {
	t.Helper()
	path := strings.ReplaceAll(rt.path, "{name}", url.PathEscape(param))
	req, err := http.NewRequest(rt.method, a.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.URL.RawQuery = transmissible(query)
	req.Header.Set("Content-Type", "application/json")
	if rt.textPlain {
		req.Header.Set("Content-Type", "text/plain")
	}
	signWebhook(t, a, rt.sign, req.Header, body)
	resp, err := a.HTTP.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

// transmissible percent-encodes the bytes a request line cannot carry (controls, space, '#',
// non-ASCII), so the query reaches our handlers instead of net/http's request-line check.
// Escapes already in it (%ff, %00) stay for the handlers to decode.
func transmissible(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func signWebhook(t *testing.T, a *apptest.App, provider string, h http.Header, body []byte) {
	t.Helper()
	switch provider {
	case "daily":
		key, err := base64.StdEncoding.DecodeString(a.Daily.WebhookSecret())
		require.NoError(t, err)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h.Set(daily.HeaderSignature, daily.Sign(key, ts, body))
		h.Set(daily.HeaderTimestamp, ts)
	case "whereby":
		h.Set(whereby.HeaderSignature, whereby.SignatureHeader([]byte(a.Whereby.WebhookSecret()), time.Now(), body))
	}
}

// fingerprint hashes every table of the schema (the migration bookkeeping aside).
func fingerprint(t *testing.T, a *apptest.App) map[string]string {
	t.Helper()
	var tables []string
	require.NoError(t, a.DB.Select(&tables, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
		AND tablename <> 'schema_migrations' ORDER BY tablename`))
	out := make(map[string]string, len(tables))
	for _, table := range tables {
		var fp *string
		require.NoError(t, a.DB.Get(&fp, `SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM `+table+` t`))
		if fp != nil {
			out[table] = *fp
		}
	}
	return out
}
