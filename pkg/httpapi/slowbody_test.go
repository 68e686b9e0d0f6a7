package httpapi_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
)

// slowRequest opens a connection and starts a POST whose announced body never arrives.
func slowRequest(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	_, err = fmt.Fprintf(c, "POST /v1/rooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"name\":")
	require.NoError(t, err)
	return c
}

// readAnswer reads what the server sends on c until it closes it (or the deadline passes).
func readAnswer(c net.Conn, within time.Duration) (*http.Response, error) {
	_ = c.SetReadDeadline(time.Now().Add(within))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	return res, nil
}

// TestSlowBodiesAreCut holds 200 connections trickling nothing of their announced bodies:
// new requests are still answered meanwhile, and every slow one is cut at the per-request
// deadline (408 {"detail"}), writing nothing.
func TestSlowBodiesAreCut(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{Server: &httpapi.ServerLimits{ReadHeaderTimeout: 2 * time.Second,
		ReadTimeout: 2 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: time.Second, MaxConns: 1000}})
	u, err := url.Parse(a.URL)
	require.NoError(t, err)
	before := snapshot(t, a)
	slow := make([]net.Conn, 200)
	for i := range slow {
		slow[i] = slowRequest(t, u.Host)
	}
	for range 10 {
		require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodGet, "/v1/rooms/name/nope", nil).Status)
		require.Equal(t, http.StatusOK, a.Do(t, http.MethodGet, "/healthz", nil).Status)
	}
	var wg sync.WaitGroup
	statuses := make([]int, len(slow))
	for i, c := range slow {
		wg.Go(func() {
			if res, err := readAnswer(c, time.Minute); err == nil {
				statuses[i] = res.StatusCode
			}
		})
	}
	wg.Wait()
	for i, s := range statuses {
		require.Equal(t, http.StatusRequestTimeout, s, "slow connection %d", i)
	}
	require.Equal(t, before, snapshot(t, a), "a cut request wrote something")

	t.Run("idle keep-alive connections are closed", func(t *testing.T) {
		c, err := net.Dial("tcp", u.Host)
		require.NoError(t, err)
		defer c.Close()
		_, err = fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		require.NoError(t, err)
		r := bufio.NewReader(c)
		_ = c.SetReadDeadline(time.Now().Add(time.Minute))
		res, err := http.ReadResponse(r, nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		_, err = r.ReadByte() // blocks until the server closes the idle connection
		require.ErrorIs(t, err, io.EOF)
	})
}

// TestConnectionCapSheds: beyond MaxConns open connections, new ones are answered 503
// {"detail"} with Retry-After instead of being held; once the holders are cut, requests are
// served again.
func TestConnectionCapSheds(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{Server: &httpapi.ServerLimits{ReadHeaderTimeout: 2 * time.Second,
		ReadTimeout: 2 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: time.Second, MaxConns: 20}})
	a.HTTP = &http.Client{Timeout: time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}
	u, err := url.Parse(a.URL)
	require.NoError(t, err)
	slow := make([]net.Conn, 20)
	for i := range slow {
		slow[i] = slowRequest(t, u.Host)
	}
	// The shed answer is written as soon as the connection is accepted, before any request is
	// read: read it off a raw connection, since an http.Client may not have sent its request yet
	// and then reports the answer as unsolicited instead of returning it.
	c, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, string(body))
	require.Contains(t, string(body), `"detail"`)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	for _, c := range slow {
		_, _ = readAnswer(c, time.Minute)
	}
	require.Eventually(t, func() bool { return a.Do(t, http.MethodGet, "/healthz", nil).Status == http.StatusOK },
		30*time.Second, 50*time.Millisecond)
}
