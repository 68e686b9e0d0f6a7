package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
)

// snapshot fingerprints every table, so a test can prove a rejected request changed nothing.
func snapshot(t *testing.T, a *apptest.App) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range []string{"room", "meeting", "join_intent", "meeting_consent", "participant_session", "calendar_event", "webhook_event", "recording", "transcript"} {
		var fp *string
		require.NoError(t, a.DB.Get(&fp, "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM "+table+" t"))
		if fp != nil {
			out[table] = *fp
		}
	}
	return out
}

// TestBadInputChangesNothing sends malformed input to every endpoint and requires a 4xx with a
// {"detail"} body and an unchanged database.
func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	r := a.CreateRoom(t, "base")
	m := a.Do(t, http.MethodPost, "/v1/rooms/base/meeting", nil).JSON(t)
	rid, mid := r.ID.String(), m["id"].(string)
	huge := strings.Repeat("x", 100_000)
	hugeBody := `{"name":"` + strings.Repeat("y", 2<<20) + `"}`

	cases := []struct {
		name, method, path string
		body               any
		status             int
	}{
		{"create: malformed json", "POST", "/v1/rooms", `{"name":`, 422},
		{"create: empty body", "POST", "/v1/rooms", "", 422},
		{"create: json array", "POST", "/v1/rooms", `[1,2]`, 422},
		{"create: wrong type", "POST", "/v1/rooms", `{"name":"a","is_locked":"yes"}`, 422},
		{"create: name wrong type", "POST", "/v1/rooms", `{"name":42}`, 422},
		{"create: unknown room_mode", "POST", "/v1/rooms", `{"name":"a","room_mode":"huge"}`, 422},
		{"create: unknown recording_type", "POST", "/v1/rooms", `{"name":"a","recording_type":"tape"}`, 422},
		{"create: unknown trigger", "POST", "/v1/rooms", `{"name":"a","recording_trigger":"x"}`, 422},
		{"create: unknown platform", "POST", "/v1/rooms", `{"name":"a","platform":"zoom"}`, 422},
		{"create: huge name", "POST", "/v1/rooms", map[string]any{"name": huge}, 422},
		{"create: bad name chars", "POST", "/v1/rooms", `{"name":"a b/c"}`, 422},
		{"create: huge body", "POST", "/v1/rooms", hugeBody, 413},
		{"create: duplicate", "POST", "/v1/rooms", `{"name":"base"}`, 400},
		{"create: bad webhook url", "POST", "/v1/rooms", `{"name":"a","webhook_url":"ftp://x"}`, 422},
		{"create: bad ics url", "POST", "/v1/rooms", `{"name":"a","ics_enabled":true,"ics_url":"file:///etc/passwd"}`, 422},
		{"patch: zero interval", "PATCH", "/v1/rooms/" + rid, `{"ics_fetch_interval":0}`, 422},
		{"create: negative interval", "POST", "/v1/rooms", `{"name":"a","ics_fetch_interval":-5}`, 422},
		{"create: float interval", "POST", "/v1/rooms", `{"name":"a","ics_fetch_interval":1.5}`, 422},
		{"list: page zero", "GET", "/v1/rooms?page=0", nil, 422},
		{"list: size too big", "GET", "/v1/rooms?size=1000", nil, 422},
		{"list: size not a number", "GET", "/v1/rooms?size=abc", nil, 422},
		{"get: bad uuid", "GET", "/v1/rooms/not-a-uuid", nil, 422},
		{"get: unknown", "GET", "/v1/rooms/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil, 404},
		{"by name: unknown", "GET", "/v1/rooms/name/" + huge[:300], nil, 404},
		{"patch: bad uuid", "PATCH", "/v1/rooms/123", `{}`, 422},
		{"patch: malformed", "PATCH", "/v1/rooms/" + rid, `{"is_locked":`, 422},
		{"patch: wrong type", "PATCH", "/v1/rooms/" + rid, `{"is_shared":"maybe"}`, 422},
		{"patch: unknown enum", "PATCH", "/v1/rooms/" + rid, `{"room_mode":"x"}`, 422},
		{"patch: unknown platform", "PATCH", "/v1/rooms/" + rid, `{"platform":"zoom"}`, 422},
		{"patch: huge topic", "PATCH", "/v1/rooms/" + rid, map[string]any{"zulip_topic": huge}, 422},
		{"patch: empty name", "PATCH", "/v1/rooms/" + rid, `{"name":""}`, 422},
		{"patch: unknown room", "PATCH", "/v1/rooms/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", `{}`, 404},
		{"delete: bad uuid", "DELETE", "/v1/rooms/zzz", nil, 422},
		{"delete: unknown", "DELETE", "/v1/rooms/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil, 404},
		{"meeting: unknown room", "POST", "/v1/rooms/nope/meeting", nil, 404},
		{"meeting: malformed", "POST", "/v1/rooms/base/meeting", `{"allow_duplicated":`, 422},
		{"meeting: wrong type", "POST", "/v1/rooms/base/meeting", `{"allow_duplicated":"yes"}`, 422},
		{"meeting: huge connection id", "POST", "/v1/rooms/base/meeting", map[string]any{"connection_id": huge}, 422},
		{"active: unknown room", "GET", "/v1/rooms/nope/meetings/active", nil, 404},
		{"get meeting: bad uuid", "GET", "/v1/rooms/base/meetings/xyz", nil, 422},
		{"get meeting: unknown", "GET", "/v1/rooms/base/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil, 404},
		{"join: bad uuid", "POST", "/v1/rooms/base/meetings/xyz/join", nil, 422},
		{"join: unknown meeting", "POST", "/v1/rooms/base/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/join", nil, 404},
		{"join: unknown room", "POST", "/v1/rooms/nope/meetings/" + mid + "/join", nil, 404},
		{"join: malformed", "POST", "/v1/rooms/base/meetings/" + mid + "/join", `{`, 422},
		{"consent: missing field", "POST", "/v1/meetings/" + mid + "/consent", `{}`, 422},
		{"consent: wrong type", "POST", "/v1/meetings/" + mid + "/consent", `{"consent_given":"yes"}`, 422},
		{"consent: bad uuid", "POST", "/v1/meetings/nope/consent", `{"consent_given":true}`, 422},
		{"consent: unknown meeting", "POST", "/v1/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/consent", `{"consent_given":true}`, 404},
		{"joining: missing connection", "POST", "/v1/rooms/base/meetings/" + mid + "/joining", `{}`, 422},
		{"joining: bad uuid", "POST", "/v1/rooms/base/meetings/x/joining", `{"connection_id":"c"}`, 422},
		{"joining: unknown meeting", "POST", "/v1/rooms/base/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/joining", `{"connection_id":"c"}`, 404},
		{"joining: huge connection", "POST", "/v1/rooms/base/meetings/" + mid + "/joining", map[string]any{"connection_id": huge}, 422},
		{"joined: missing connection", "POST", "/v1/rooms/base/meetings/" + mid + "/joined", `{"session_id":"s"}`, 422},
		{"joined: wrong type", "POST", "/v1/rooms/base/meetings/" + mid + "/joined", `{"connection_id":5}`, 422},
		{"joined: huge session", "POST", "/v1/rooms/base/meetings/" + mid + "/joined", map[string]any{"connection_id": "c", "session_id": huge}, 422},
		{"leave: unknown room", "POST", "/v1/rooms/nope/meetings/" + mid + "/leave", "garbage", 404},
		{"leave: bad delay", "POST", "/v1/rooms/base/meetings/" + mid + "/leave?delay_seconds=-1", "", 422},
		{"unknown route", "GET", "/v1/nothing", nil, 404},
		{"wrong method", "PUT", "/v1/rooms", nil, 405},
	}
	before := snapshot(t, a)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := a.Do(t, tc.method, tc.path, tc.body)
			require.Equal(t, tc.status, res.Status, string(res.Body))
			require.Contains(t, res.JSON(t), "detail")
			require.Equal(t, before, snapshot(t, a), "the database changed")
		})
	}
}
