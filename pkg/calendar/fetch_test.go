package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testFetcher allows loopback, where httptest servers listen.
func testFetcher(cfg FetchConfig) *HTTPFetcher {
	cfg.AllowPrivate = true
	return NewHTTPFetcher(cfg)
}

func TestFetchConditional(t *testing.T) {
	t.Parallel()
	const lastMod = "Mon, 02 Mar 2026 10:00:00 GMT"
	var got []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Clone())
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", lastMod)
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
	}))
	t.Cleanup(srv.Close)
	f := testFetcher(FetchConfig{})
	ctx := context.Background()

	first, err := f.Fetch(ctx, srv.URL, Validators{})
	require.NoError(t, err)
	require.False(t, first.NotModified)
	require.Equal(t, Feed{Body: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), ETag: `"v1"`, LastModified: lastMod}, first)

	second, err := f.Fetch(ctx, srv.URL, Validators{ETag: first.ETag, LastModified: first.LastModified})
	require.NoError(t, err)
	require.True(t, second.NotModified)
	require.Empty(t, second.Body)

	require.Len(t, got, 2)
	require.Equal(t, "Reflector/1.0", got[0].Get("User-Agent"))
	require.Empty(t, got[0].Get("If-None-Match"))
	require.Equal(t, `"v1"`, got[1].Get("If-None-Match"))
	require.Equal(t, lastMod, got[1].Get("If-Modified-Since"))
}

func TestFetchSizeLimit(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("x"), 10<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" { // no Content-Length: the limit must hold while reading
			for i := 0; i < 10; i++ {
				_, _ = w.Write(big[:1<<20])
				w.(http.Flusher).Flush()
			}
			return
		}
		_, _ = w.Write(big)
	}))
	t.Cleanup(srv.Close)
	for _, path := range []string{"/sized", "/chunked"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			_, err := testFetcher(FetchConfig{}).Fetch(context.Background(), srv.URL+path, Validators{})
			require.ErrorIs(t, err, ErrFeedTooLarge)
			require.ErrorContains(t, err, "over 5242880 bytes")
		})
	}
	t.Run("configurable", func(t *testing.T) {
		t.Parallel()
		feed, err := testFetcher(FetchConfig{MaxBytes: 11 << 20}).Fetch(context.Background(), srv.URL+"/sized", Validators{})
		require.NoError(t, err)
		require.Len(t, feed.Body, 10<<20)
	})
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		_, _ = fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.example.com/cal.ics", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f := testFetcher(FetchConfig{MaxRedirects: 2})
	ctx := context.Background()

	_, err := f.Fetch(ctx, srv.URL+"/hop/2", Validators{})
	require.NoError(t, err, "two redirects are allowed")
	_, err = f.Fetch(ctx, srv.URL+"/hop/3", Validators{})
	require.ErrorIs(t, err, ErrTooManyRedirects)
	_, err = f.Fetch(ctx, srv.URL+"/ftp", Validators{})
	require.ErrorIs(t, err, ErrUnsupportedScheme)
}

func TestFetchRefusals(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()

	t.Run("loopback is refused unless allowed, and the error hides the URL", func(t *testing.T) {
		t.Parallel()
		f := NewHTTPFetcher(FetchConfig{})
		for _, u := range []string{srv.URL + "/secret-token", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/secret-token"} {
			_, err := f.Fetch(ctx, u, Validators{})
			require.ErrorIs(t, err, ErrBlockedAddress, u)
			require.NotContains(t, err.Error(), "secret-token")
		}
	})
	t.Run("only http and https", func(t *testing.T) {
		t.Parallel()
		for _, u := range []string{"file:///etc/passwd", "gopher://example.com/", "webcal://example.com/cal.ics"} {
			_, err := testFetcher(FetchConfig{}).Fetch(ctx, u, Validators{})
			require.ErrorIs(t, err, ErrUnsupportedScheme, u)
		}
	})
	t.Run("an error status", func(t *testing.T) {
		t.Parallel()
		_, err := testFetcher(FetchConfig{}).Fetch(ctx, srv.URL+"/missing", Validators{})
		var se *StatusError
		require.True(t, errors.As(err, &se))
		require.Equal(t, http.StatusNotFound, se.Code)
		require.EqualError(t, err, "fetch feed: feed server answered 404 Not Found")
	})
}

func TestFetchTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	start := time.Now()
	_, err := testFetcher(FetchConfig{Timeout: 200 * time.Millisecond}).Fetch(context.Background(), srv.URL, Validators{})
	require.Error(t, err)
	require.ErrorContains(t, err, "Timeout exceeded")
	require.Less(t, time.Since(start), 3*time.Second)
}

func TestAddrGuard(t *testing.T) {
	t.Parallel()
	g := newAddrGuard()
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "1.1.1.1": true, "2606:4700:4700::1111": true,
		"127.0.0.1": false, "127.9.9.9": false, "::1": false, "0.0.0.0": false, "::": false,
		"10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "100.64.0.1": false,
		"169.254.169.254": false, "fe80::1": false, "fc00::1": false, "fd12::1": false,
		"::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "64:ff9b::a00:1": false,
		"224.0.0.1": false, "255.255.255.255": false, "198.18.0.1": false,
	} {
		require.Equal(t, want, g.allowed(netip.MustParseAddr(addr)), addr)
	}
}
