package calendar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Errors a fetch can end with, besides transport errors and *StatusError.
var (
	ErrFeedTooLarge      = errors.New("feed too large")
	ErrUnsupportedScheme = errors.New("only http and https feed URLs are allowed")
	ErrTooManyRedirects  = errors.New("too many redirects")
	ErrBlockedAddress    = errors.New("feed address not allowed")
)

// StatusError is a feed server's answer other than 200 or 304.
type StatusError struct{ Code int }

// Error names the status, e.g. "feed server answered 404 Not Found".
func (e *StatusError) Error() string {
	return fmt.Sprintf("feed server answered %d %s", e.Code, http.StatusText(e.Code))
}

// Validators are the conditional-request headers remembered from the last fetch.
type Validators struct {
	ETag         string
	LastModified string
}

// Feed is the outcome of a fetch: either NotModified, or a body with its validators.
type Feed struct {
	NotModified  bool
	Body         []byte
	ETag         string
	LastModified string
}

// Fetcher downloads a feed.
type Fetcher interface {
	Fetch(ctx context.Context, rawURL string, prev Validators) (Feed, error)
}

// FetchConfig bounds what an HTTPFetcher does. Zero fields take the defaults.
type FetchConfig struct {
	Timeout      time.Duration // whole request, body included; default 30 s
	MaxBytes     int64         // largest body accepted; default 5 MiB
	MaxRedirects int           // default 3
	// AllowPrivate permits loopback, private and link-local destinations (tests, on-prem).
	AllowPrivate bool
	UserAgent    string // default "Reflector/1.0", as the original
}

func (c FetchConfig) withDefaults() FetchConfig {
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 5 << 20
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = 3
	}
	if c.UserAgent == "" {
		c.UserAgent = "Reflector/1.0"
	}
	return c
}

// HTTPFetcher fetches feeds over http(s) with conditional requests, a size limit, bounded
// redirects and, unless allowed, no connection to non-public addresses.
type HTTPFetcher struct {
	cfg    FetchConfig
	client *http.Client
}

// NewHTTPFetcher builds a fetcher. The address check runs on the resolved IP at dial time,
// so a hostname that resolves (or re-resolves) to a private address is refused too.
func NewHTTPFetcher(cfg FetchConfig) *HTTPFetcher {
	cfg = cfg.withDefaults()
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		dialer.Control = newAddrGuard().control
	}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would dial on our behalf, past the guard
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  cfg.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           16,
		ForceAttemptHTTP2:      true,
	}
	client := &http.Client{
		Transport: transport,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return ErrTooManyRedirects
			}
			return checkScheme(req.URL)
		},
	}
	return &HTTPFetcher{cfg: cfg, client: client}
}

// Fetch downloads rawURL, sending prev as If-None-Match / If-Modified-Since.
func (f *HTTPFetcher) Fetch(ctx context.Context, rawURL string, prev Validators) (Feed, error) {
	feed, err := f.fetch(ctx, rawURL, prev)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL: private feed URLs carry a secret token
		}
		return Feed{}, fmt.Errorf("fetch feed: %w", err)
	}
	return feed, nil
}

func (f *HTTPFetcher) fetch(ctx context.Context, rawURL string, prev Validators) (Feed, error) {
	req, err := f.request(ctx, rawURL, prev)
	if err != nil {
		return Feed{}, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return Feed{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return Feed{NotModified: true, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, nil
	case http.StatusOK:
	default:
		return Feed{}, &StatusError{Code: resp.StatusCode}
	}
	body, err := f.readBody(resp)
	if err != nil {
		return Feed{}, err
	}
	return Feed{Body: body, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, nil
}

func (f *HTTPFetcher) request(ctx context.Context, rawURL string, prev Validators) (*http.Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse URL: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	return req, nil
}

// readBody reads at most MaxBytes, refusing larger bodies (announced or actual).
func (f *HTTPFetcher) readBody(resp *http.Response) ([]byte, error) {
	tooLarge := fmt.Errorf("%w: over %d bytes", ErrFeedTooLarge, f.cfg.MaxBytes)
	if resp.ContentLength > f.cfg.MaxBytes {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > f.cfg.MaxBytes {
		return nil, tooLarge
	}
	return body, nil
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w (got %q)", ErrUnsupportedScheme, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("feed URL has no host")
	}
	return nil
}
