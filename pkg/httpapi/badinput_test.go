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
		headers            []string
	}{
		{"create: malformed json", "POST", "/v1/rooms", `{"name":`, 422, nil},
		{"create: empty body", "POST", "/v1/rooms", "", 422, nil},
		{"create: json array", "POST", "/v1/rooms", `[1,2]`, 422, nil},
		{"create: wrong type", "POST", "/v1/rooms", `{"name":"a","is_locked":"yes"}`, 422, nil},
		{"create: name wrong type", "POST", "/v1/rooms", `{"name":42}`, 422, nil},
		{"create: unknown room_mode", "POST", "/v1/rooms", `{"name":"a","room_mode":"huge"}`, 422, nil},
		{"create: unknown recording_type", "POST", "/v1/rooms", `{"name":"a","recording_type":"tape"}`, 422, nil},
		{"create: unknown trigger", "POST", "/v1/rooms", `{"name":"a","recording_trigger":"x"}`, 422, nil},
		{"create: unknown platform", "POST", "/v1/rooms", `{"name":"a","platform":"zoom"}`, 422, nil},
		{"create: huge name", "POST", "/v1/rooms", map[string]any{"name": huge}, 422, nil},
		{"create: bad name chars", "POST", "/v1/rooms", `{"name":"a b/c"}`, 422, nil},
		{"create: huge body", "POST", "/v1/rooms", hugeBody, 413, nil},
		{"create: duplicate", "POST", "/v1/rooms", `{"name":"base"}`, 400, nil},
		{"create: bad webhook url", "POST", "/v1/rooms", `{"name":"a","webhook_url":"ftp://x"}`, 422, nil},
		{"create: bad ics url", "POST", "/v1/rooms", `{"name":"a","ics_enabled":true,"ics_url":"file:///etc/passwd"}`, 422, nil},
		{"patch: zero interval", "PATCH", "/v1/rooms/" + rid, `{"ics_fetch_interval":0}`, 422, nil},
		{"create: negative interval", "POST", "/v1/rooms", `{"name":"a","ics_fetch_interval":-5}`, 422, nil},
		{"create: float interval", "POST", "/v1/rooms", `{"name":"a","ics_fetch_interval":1.5}`, 422, nil},
		{"list: page zero", "GET", "/v1/rooms?page=0", nil, 422, nil},
		{"list: size too big", "GET", "/v1/rooms?size=1000", nil, 422, nil},
		{"list: size not a number", "GET", "/v1/rooms?size=abc", nil, 422, nil},
		{"get: bad uuid", "GET", "/v1/rooms/not-a-uuid", nil, 422, nil},
		{"get: unknown", "GET", "/v1/rooms/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil, 404, nil},
		{"by name: unknown", "GET", "/v1/rooms/name/" + huge[:300], nil, 404, nil},
		{"patch: bad uuid", "PATCH", "/v1/rooms/123", `{}`, 422, nil},
		{"patch: malformed", "PATCH", "/v1/rooms/" + rid, `{"is_locked":`, 422, nil},
		{"patch: wrong type", "PATCH", "/v1/rooms/" + rid, `{"is_shared":"maybe"}`, 422, nil},
		{"patch: unknown enum", "PATCH", "/v1/rooms/" + rid, `{"room_mode":"x"}`, 422, nil},
		{"patch: unknown platform", "PATCH", "/v1/rooms/" + rid, `{"platform":"zoom"}`, 422, nil},
		{"patch: huge topic", "PATCH", "/v1/rooms/" + rid, map[string]any{"zulip_topic": huge}, 422, nil},
		{"patch: empty name", "PATCH", "/v1/rooms/" + rid, `{"name":""}`, 422, nil},
		{"patch: unknown room", "PATCH", "/v1/rooms/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", `{}`, 404, nil},
		{"delete: bad uuid", "DELETE", "/v1/rooms/zzz", nil, 422, nil},
		{"delete: unknown", "DELETE", "/v1/rooms/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil, 404, nil},
		{"meeting: unknown room", "POST", "/v1/rooms/nope/meeting", nil, 404, nil},
		{"meeting: malformed", "POST", "/v1/rooms/base/meeting", `{"allow_duplicated":`, 422, nil},
		{"meeting: wrong type", "POST", "/v1/rooms/base/meeting", `{"allow_duplicated":"yes"}`, 422, nil},
		{"meeting: huge connection id", "POST", "/v1/rooms/base/meeting", map[string]any{"connection_id": huge}, 422, nil},
		{"active: unknown room", "GET", "/v1/rooms/nope/meetings/active", nil, 404, nil},
		{"get meeting: bad uuid", "GET", "/v1/rooms/base/meetings/xyz", nil, 404, nil},
		{"get meeting: unknown", "GET", "/v1/rooms/base/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil, 404, nil},
		{"join: bad uuid", "POST", "/v1/rooms/base/meetings/xyz/join", nil, 404, nil},
		{"join: unknown meeting", "POST", "/v1/rooms/base/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/join", nil, 404, nil},
		{"join: unknown room", "POST", "/v1/rooms/nope/meetings/" + mid + "/join", nil, 404, nil},
		{"join: malformed", "POST", "/v1/rooms/base/meetings/" + mid + "/join", `{`, 422, nil},
		{"consent: missing field", "POST", "/v1/meetings/" + mid + "/consent", `{}`, 422, nil},
		{"consent: wrong type", "POST", "/v1/meetings/" + mid + "/consent", `{"consent_given":"yes"}`, 422, nil},
		{"consent: bad uuid", "POST", "/v1/meetings/nope/consent", `{"consent_given":true}`, 404, nil},
		{"consent: unknown meeting", "POST", "/v1/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/consent", `{"consent_given":true}`, 404, nil},
		{"joining: missing connection", "POST", "/v1/rooms/base/meetings/" + mid + "/joining", `{}`, 422, nil},
		{"joining: bad uuid", "POST", "/v1/rooms/base/meetings/x/joining", `{"connection_id":"c"}`, 404, nil},
		{"joining: unknown meeting", "POST", "/v1/rooms/base/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/joining", `{"connection_id":"c"}`, 404, nil},
		{"joining: huge connection", "POST", "/v1/rooms/base/meetings/" + mid + "/joining", map[string]any{"connection_id": huge}, 422, nil},
		{"joined: missing connection", "POST", "/v1/rooms/base/meetings/" + mid + "/joined", `{"session_id":"s"}`, 422, nil},
		{"joined: wrong type", "POST", "/v1/rooms/base/meetings/" + mid + "/joined", `{"connection_id":5}`, 422, nil},
		{"joined: huge session", "POST", "/v1/rooms/base/meetings/" + mid + "/joined", map[string]any{"connection_id": "c", "session_id": huge}, 422, nil},
		{"leave: unknown room", "POST", "/v1/rooms/nope/meetings/" + mid + "/leave", "garbage", 404, nil},
		{"leave: bad delay", "POST", "/v1/rooms/base/meetings/" + mid + "/leave?delay_seconds=-1", "", 422, nil},
		{"unknown route", "GET", "/v1/nothing", nil, 404, nil},
		{"wrong method", "PUT", "/v1/rooms", nil, 405, nil},
	}
	cases = append(cases, hardeningCases(rid, mid)...)
	before := snapshot(t, a)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := a.Do(t, tc.method, tc.path, tc.body, tc.headers...)
			require.Equal(t, tc.status, res.Status, string(res.Body))
			require.Contains(t, res.JSON(t), "detail")
			if tc.status == http.StatusTooManyRequests || tc.status == http.StatusServiceUnavailable {
				require.NotEmpty(t, res.Header.Get("Retry-After"))
			}
			require.Equal(t, before, snapshot(t, a), "the database changed")
		})
	}
}
