package httpapi_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
)

// original stands in for the Python back end: it answers every path with what it got, and
// upgrades /v1/events to an echoing raw connection (a websocket after the handshake).
func original(t *testing.T) *url.URL {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "websocket" {
			conn, rw, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
			_ = rw.Flush()
			line, _ := rw.ReadString('\n')
			_, _ = rw.WriteString("echo " + line)
			_ = rw.Flush()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"upstream":"` + r.Method + " " + r.URL.RequestURI() + `","auth":"` + r.Header.Get("Authorization") + `"}`))
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	return u
}

// TestUpstreamProxy: with UPSTREAM_API_URL, paths this API does not serve go to the original
// back end with the caller's credentials untouched, websockets included; served paths do
// not; without it they are 404 {"detail"}.
func TestUpstreamProxy(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{Upstream: original(t), Auth: apptest.NewJWT(t).Auth})
	res := a.Do(t, http.MethodGet, "/v1/transcripts?page=2", nil, "Authorization", "Bearer made-by-the-original")
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, map[string]any{"upstream": "GET /v1/transcripts?page=2", "auth": "Bearer made-by-the-original"}, res.JSON(t))
	res = a.Do(t, http.MethodPost, "/v1/zulip/streams", `{}`)
	require.Equal(t, "POST /v1/zulip/streams", res.JSON(t)["upstream"])
	res = a.Do(t, http.MethodGet, "/v1/rooms/name/nope", nil)
	require.Equal(t, http.StatusNotFound, res.Status, "a served route answers itself")
	require.Equal(t, "Room not found", res.JSON(t)["detail"])

	conn, err := net.Dial("tcp", strings.TrimPrefix(a.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET /v1/events HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"+
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	_, err = io.WriteString(conn, "hello\n")
	require.NoError(t, err)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "echo hello\n", line)

	plain := apptest.New(t, apptest.Options{})
	res = plain.Do(t, http.MethodGet, "/v1/transcripts", nil)
	require.Equal(t, http.StatusNotFound, res.Status)
	require.Contains(t, res.JSON(t), "detail")
}
