// Package emulator serves in-process fakes of the Daily and Whereby REST APIs with the real
// JSON shapes, error bodies and webhook signatures, plus knobs for latency, presence lag,
// injected faults and rate limits. Endpoints are named by their ServeMux pattern
// ("POST /rooms", "GET /rooms/{name}/presence"), the keys of FailNext, SetRateLimit and
// CallCount. The emulators share no code with the clients on purpose: an independent reading
// of the contract is what lets the conformance suite catch a client's mistake.
package emulator

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Fault is an injected answer: status, body and extra headers.
type Fault struct {
	Status int
	Body   string // empty: the provider's error body for Status
	Header http.Header
}

type window struct {
	limit int
	size  time.Duration
	start time.Time
	count int
}

// core holds the knobs and counters both emulators share. Its methods are goroutine-safe.
type core struct {
	baseNow func() time.Time

	mu          sync.Mutex
	offset      time.Duration
	latency     time.Duration
	presenceLag time.Duration
	faults      map[string][]Fault
	limits      map[string]*window
	calls       map[string]int
	total       int
}

func newCore(now func() time.Time, latency, lag time.Duration) core {
	if now == nil {
		now = time.Now
	}
	return core{baseNow: now, latency: latency, presenceLag: lag,
		faults: map[string][]Fault{}, limits: map[string]*window{}, calls: map[string]int{}}
}

// Now is the emulator's clock: the injected clock plus everything Advance added.
func (c *core) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *core) nowLocked() time.Time { return c.baseNow().Add(c.offset) }

// Advance moves the emulator's clock forward (presence lag, expiry) without sleeping.
func (c *core) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// SetLatency delays every request by d.
func (c *core) SetLatency(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latency = d
}

// SetPresenceLag makes joins and leaves visible to presence and sessions only d later.
func (c *core) SetPresenceLag(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.presenceLag = d
}

// FailNext answers the next n calls to endpoint with f instead of serving them.
func (c *core) FailNext(endpoint string, n int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range n {
		c.faults[endpoint] = append(c.faults[endpoint], f)
	}
}

// SetRateLimit allows limit calls per window to endpoint ("" = all endpoints together) and
// answers 429 with Retry-After beyond that. limit <= 0 removes the limit.
func (c *core) SetRateLimit(endpoint string, limit int, size time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if limit <= 0 {
		delete(c.limits, endpoint)
		return
	}
	c.limits[endpoint] = &window{limit: limit, size: size, start: c.nowLocked()}
}

// CallCount is the number of calls to endpoint (including faulted and limited ones).
func (c *core) CallCount(endpoint string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[endpoint]
}

// TotalCalls is the number of calls to any endpoint.
func (c *core) TotalCalls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

func (c *core) lag() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.presenceLag
}

// admit counts a call and returns a fault or a rate-limit delay to answer with instead.
func (c *core) admit(endpoint string) (*Fault, time.Duration, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[endpoint]++
	c.total++
	if q := c.faults[endpoint]; len(q) > 0 {
		c.faults[endpoint] = q[1:]
		return &q[0], 0, c.latency
	}
	for _, key := range []string{endpoint, ""} {
		if w := c.limits[key]; w != nil {
			if wait := w.take(c.nowLocked()); wait > 0 {
				return nil, wait, c.latency
			}
		}
	}
	return nil, 0, c.latency
}

// take counts one call in a fixed window; a positive result is the time until it reopens.
func (w *window) take(now time.Time) time.Duration {
	if now.Sub(w.start) >= w.size {
		w.start, w.count = now, 0
	}
	if w.count >= w.limit {
		return w.start.Add(w.size).Sub(now)
	}
	w.count++
	return 0
}

// errorWriter writes a provider's error body for a status.
type errorWriter func(w http.ResponseWriter, status int, msg string)

// serve wraps mux with auth, call counting, latency, faults and rate limiting.
func (c *core) serve(mux *http.ServeMux, auth func(*http.Request) (int, string), werr errorWriter,
	limited func(w http.ResponseWriter, wait time.Duration)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		fault, wait, latency := c.admit(pattern)
		if !sleep(r, latency) {
			return
		}
		switch {
		case fault != nil:
			writeFault(w, *fault, werr)
		case wait > 0:
			limited(w, wait)
		default:
			if status, msg := auth(r); status != 0 {
				werr(w, status, msg)
				return
			}
			mux.ServeHTTP(w, r)
		}
	})
}

func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-t.C:
		return true
	}
}

func writeFault(w http.ResponseWriter, f Fault, werr errorWriter) {
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	if f.Body == "" {
		werr(w, f.Status, "injected fault")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
}

// retryAfterSecs is the Retry-After value for a wait: whole seconds, rounded up.
func retryAfterSecs(wait time.Duration) string {
	return strconv.Itoa(int(math.Ceil(wait.Seconds())))
}

// compactJSON serialises v once, as the providers send it: compact, no HTML escaping
// (so "<" stays "<" as JSON.stringify leaves it), no trailing newline.
func compactJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := compactJSON(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// start serves h on a loopback httptest server.
func start(h http.Handler) (string, func()) {
	srv := httptest.NewServer(h)
	return srv.URL, srv.Close
}

// isoMillis formats a time as the providers do: RFC 3339, UTC, milliseconds, "Z".
func isoMillis(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
