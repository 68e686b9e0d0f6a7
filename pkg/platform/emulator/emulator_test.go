package emulator_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

func fixedClock(unix int64) func() time.Time {
	return func() time.Time { return time.Unix(unix, 0) }
}

// leftPayload keeps the field order of the contract's escaping vector.
type leftPayload struct {
	Room      string  `json:"room"`
	UserName  string  `json:"user_name"`
	SessionID string  `json:"session_id"`
	JoinedAt  float64 `json:"joined_at"`
	Duration  float64 `json:"duration"`
}

func TestDailySignsLikeDaily(t *testing.T) {
	t.Parallel()
	d := emulator.NewDaily(emulator.DailyOptions{WebhookSecret: "NQrSA5z0FkJ44QPrFerW7uCc5kdNLv3l2FDEKDanL1U=", Now: fixedClock(1708972280)})
	ev := emulator.DailyEvent{Version: "1.0.0", Type: "participant.left", ID: "ptcpt-left-x-1", EventTS: 1708972302.986,
		Payload: leftPayload{Room: "r", UserName: "Zoë <host>", SessionID: "s1", JoinedAt: 1708972291.567, Duration: 11.419000148773193}}
	body, h, err := d.SignWebhook(ev)
	require.NoError(t, err)
	require.Equal(t, `{"version":"1.0.0","type":"participant.left","id":"ptcpt-left-x-1","payload":{"room":"r","user_name":"Zoë <host>","session_id":"s1","joined_at":1708972291.567,"duration":11.419000148773193},"event_ts":1708972302.986}`, string(body))
	require.Equal(t, "1708972280", h.Get("X-Webhook-Timestamp"))
	require.Equal(t, "5Z3XnY7UYAezceZKjUnCuOXaQI6fIahzmgwe8oo6Qqk=", h.Get("X-Webhook-Signature"))
}

// joinedData keeps the field order of the contract's Whereby vector.
type joinedData struct {
	RoleName             string         `json:"roleName"`
	DisplayName          string         `json:"displayName"`
	MeetingID            string         `json:"meetingId"`
	RoomName             string         `json:"roomName"`
	Subdomain            string         `json:"subdomain"`
	NumClients           int            `json:"numClients"`
	NumClientsByRoleName map[string]int `json:"numClientsByRoleName"`
	Metadata             string         `json:"metadata"`
	ExternalID           string         `json:"externalId"`
}

func TestWherebySignsLikeWhereby(t *testing.T) {
	t.Parallel()
	wb := emulator.NewWhereby(emulator.WherebyOptions{WebhookSecret: "wb-test-signing-secret-0123456789", Now: fixedClock(1606227791)})
	ev := emulator.WherebyEvent{ID: "d7c4df48b85318352b47d2df45872bf9be87595af379e2a8ad8f1ad28b2a482e", APIVersion: "1.0",
		CreatedAt: "2021-01-21T16:29:59.681Z", Type: "room.client.joined", Data: joinedData{RoleName: "host",
			DisplayName: "Joe Bloggs", MeetingID: "134", RoomName: "/af0b7b66-c738-4981-887a-ad416754f32d",
			Subdomain: "JoeBloggsInc", NumClients: 8, NumClientsByRoleName: map[string]int{"host": 1, "visitor": 7},
			Metadata: "<custom-metadata>", ExternalID: "<custom-id>"}}
	body, h, err := wb.SignWebhook(ev)
	require.NoError(t, err)
	require.Len(t, body, 428)
	require.Equal(t, "t=1606227791,v1=4298ed45a714d69e883b7d236096baa5299eb42109d8819ac364bee2ad4e5fcb", h.Get("Whereby-Signature"))
}

func do(t *testing.T, method, url, body string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestKnobs(t *testing.T) {
	t.Parallel()
	t.Run("RateLimitAnswers429WithRetryAfter", func(t *testing.T) {
		t.Parallel()
		d := emulator.NewDaily(emulator.DailyOptions{})
		url, stop := d.Start()
		t.Cleanup(stop)
		d.SetRateLimit(emulator.DailyPresence, 1, time.Minute)
		resp, _ := do(t, http.MethodGet, url+"/presence", "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		resp, body := do(t, http.MethodGet, url+"/presence", "", nil)
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		require.Equal(t, "60", resp.Header.Get("Retry-After"))
		require.JSONEq(t, `{"error":"rate-limit-error","info":"rate limit exceeded"}`, body)
		d.Advance(time.Minute)
		resp, _ = do(t, http.MethodGet, url+"/presence", "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, 3, d.CallCount(emulator.DailyPresence))
		require.Equal(t, 3, d.TotalCalls())
	})
	t.Run("WherebyRateLimitBody", func(t *testing.T) {
		t.Parallel()
		wb := emulator.NewWhereby(emulator.WherebyOptions{Now: fixedClock(1606227791)})
		url, stop := wb.Start()
		t.Cleanup(stop)
		wb.SetRateLimit("", 1, 10*time.Second)
		do(t, http.MethodGet, url+"/meetings", "", nil)
		resp, body := do(t, http.MethodGet, url+"/meetings", "", nil)
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		require.Equal(t, "10", resp.Header.Get("Retry-After"))
		require.Equal(t, `{"error":"Rate limit active for throttle key: organization:1","data":{"msLeft":10000}}`, body)
	})
	t.Run("FaultsUseTheProviderBodyAndRunOut", func(t *testing.T) {
		t.Parallel()
		d := emulator.NewDaily(emulator.DailyOptions{})
		url, stop := d.Start()
		t.Cleanup(stop)
		d.FailNext(emulator.DailyPresence, 1, emulator.Fault{Status: http.StatusServiceUnavailable})
		resp, body := do(t, http.MethodGet, url+"/presence", "", nil)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		require.JSONEq(t, `{"error":"server-error","info":"injected fault"}`, body)
		resp, _ = do(t, http.MethodGet, url+"/presence", "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	})
	t.Run("Latency", func(t *testing.T) {
		t.Parallel()
		d := emulator.NewDaily(emulator.DailyOptions{Latency: 50 * time.Millisecond})
		url, stop := d.Start()
		t.Cleanup(stop)
		start := time.Now()
		do(t, http.MethodGet, url+"/presence", "", nil)
		require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	})
	t.Run("DailyAuthErrors", func(t *testing.T) {
		t.Parallel()
		d := emulator.NewDaily(emulator.DailyOptions{APIKey: "k"})
		url, stop := d.Start()
		t.Cleanup(stop)
		resp, body := do(t, http.MethodGet, url+"/presence", "", nil)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.JSONEq(t, `{"error":"authorization-header-error"}`, body)
		resp, _ = do(t, http.MethodGet, url+"/presence", "", http.Header{"Authorization": {"Bearer x"}})
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})
	t.Run("DailyRoomValidation", func(t *testing.T) {
		t.Parallel()
		d := emulator.NewDaily(emulator.DailyOptions{})
		url, stop := d.Start()
		t.Cleanup(stop)
		resp, body := do(t, http.MethodPost, url+"/rooms", `{"name":"bad name"}`, nil)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "contains invalid characters")
		resp, body = do(t, http.MethodPost, url+"/rooms", `{"name":"ok"}`, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		_, body = do(t, http.MethodPost, url+"/rooms", `{"name":"ok"}`, nil)
		require.JSONEq(t, `{"error":"invalid-request-error","info":"a room named ok already exists"}`, body)
		resp, body = do(t, http.MethodDelete, url+"/rooms/ok", "", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.JSONEq(t, `{"deleted":true,"name":"ok"}`, body)
		require.Equal(t, []string{"ok"}, d.Deleted())
	})
}

func TestListenAndServe(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- emulator.ListenAndServe(ctx, addr, emulator.NewDaily(emulator.DailyOptions{}), emulator.NewWhereby(emulator.WherebyOptions{}))
	}()
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + emulator.DailyPrefix + "/presence")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 5*time.Second, 10*time.Millisecond)
	resp, body := do(t, http.MethodGet, "http://"+addr+emulator.WherebyPrefix+"/meetings", "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, `{"results":[],"cursor":null}`, body)
	cancel()
	require.NoError(t, <-done)
}
