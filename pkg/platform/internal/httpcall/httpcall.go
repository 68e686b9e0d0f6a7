// Package httpcall is the HTTP plumbing the provider clients share: JSON requests with
// bearer auth, a client-side rate limiter, a per-attempt timeout, retries on 429 (honouring
// Retry-After) and on 5xx for idempotent requests, a circuit breaker, and failures returned
// as *platform.Error.
package httpcall

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/monadical/reflector-go/pkg/platform"
)

// maxBody bounds how much of a provider response is read.
const maxBody = 8 << 20

// ErrorDecoder extracts the provider's error type, message and retry hint from an error body.
type ErrorDecoder func(body []byte) (typ, msg string, retryAfter time.Duration)

// Config configures a Caller. Zero values get the defaults noted.
type Config struct {
	Provider    string
	BaseURL     string
	APIKey      string
	HTTPClient  *http.Client  // default: a new client without its own timeout
	Timeout     time.Duration // per attempt; default 10 s
	Limiter     *rate.Limiter // default limiter for requests without their own; nil: none
	MaxRetries  int           // retries after the first attempt; default 3; <0: none
	BaseBackoff time.Duration // first backoff; default 250 ms
	MaxBackoff  time.Duration // cap of one wait; a longer Retry-After is not waited for; default 30 s
	// BreakerThreshold failed calls in a row to one operation open its breaker for
	// BreakerCooldown (defaults 5 and 30 s). Breakers are per operation, so reads that still
	// work do not mask a create that keeps failing.
	BreakerThreshold int
	BreakerCooldown  time.Duration
	DecodeError      ErrorDecoder     // default: body text as message
	Now              func() time.Time // default time.Now
	// Observer records every call, rate-budget wait and breaker change (nil: none).
	Observer platform.CallObserver
}

// Caller performs provider requests. It is safe for concurrent use.
type Caller struct {
	cfg Config

	mu       sync.Mutex
	breakers map[string]*Breaker // by Request.Op
}

// New returns a Caller with defaults applied.
func New(cfg Config) *Caller {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = 250 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BreakerThreshold <= 0 {
		cfg.BreakerThreshold = 5
	}
	if cfg.BreakerCooldown <= 0 {
		cfg.BreakerCooldown = 30 * time.Second
	}
	if cfg.DecodeError == nil {
		cfg.DecodeError = func(b []byte) (string, string, time.Duration) { return "", string(b), 0 }
	}
	return &Caller{cfg: cfg, breakers: map[string]*Breaker{}}
}

func (c *Caller) breaker(op string) *Breaker {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.breakers[op]
	if !ok {
		b = NewBreaker(c.cfg.BreakerThreshold, c.cfg.BreakerCooldown, c.cfg.Now)
		c.breakers[op] = b
	}
	return b
}

// Request is one logical provider call.
type Request struct {
	Op      string // our operation name, for errors
	Method  string
	Path    string // escaped path below BaseURL, starting with "/"
	Query   url.Values
	Body    any           // JSON-encoded when non-nil
	Limiter *rate.Limiter // overrides Config.Limiter (per-endpoint budgets)
	Cost    int           // limiter tokens; default 1 (Whereby's point costs)
	// Idempotent requests are retried on 5xx and timeouts too. GET and DELETE always are.
	Idempotent bool
}

// Do performs req and decodes a 2xx JSON body into out (unless out is nil).
func (c *Caller) Do(ctx context.Context, req Request, out any) (err error) {
	if obs := c.cfg.Observer; obs != nil {
		start := time.Now()
		defer func() { obs.ProviderCall(c.cfg.Provider, req.Op, platform.Outcome(err), time.Since(start)) }()
	}
	br := c.breaker(req.Op)
	if !br.Allow() {
		c.observeBreaker(req.Op, true)
		return c.fail(req, 0, fmt.Errorf("circuit open: %w", platform.ErrUnavailable))
	}
	err = c.retrying(ctx, req, out)
	c.observeBreaker(req.Op, br.record(classify(ctx, err)))
	return err
}

func (c *Caller) observeBreaker(op string, open bool) {
	if c.cfg.Observer != nil {
		c.cfg.Observer.BreakerState(c.cfg.Provider, op, open)
	}
}

func classify(ctx context.Context, err error) outcome {
	switch {
	case err == nil:
		return outcomeSuccess
	case ctx.Err() != nil:
		return outcomeNeutral
	case errors.Is(err, platform.ErrUnavailable):
		return outcomeFailure
	}
	return outcomeSuccess
}

func (c *Caller) retrying(ctx context.Context, req Request, out any) error {
	var body []byte
	if req.Body != nil {
		b, err := json.Marshal(req.Body)
		if err != nil {
			return c.fail(req, 0, fmt.Errorf("encode request: %w", err))
		}
		body = b
	}
	for attempt := 0; ; attempt++ {
		if err := c.wait(ctx, req); err != nil {
			return c.fail(req, 0, err)
		}
		err := c.attempt(ctx, req, body, out)
		delay, again := c.retryDelay(ctx, req, err, attempt)
		if !again {
			return err
		}
		if serr := sleep(ctx, delay); serr != nil {
			return err
		}
	}
}

func (c *Caller) wait(ctx context.Context, req Request) error {
	lim := req.Limiter
	if lim == nil {
		lim = c.cfg.Limiter
	}
	if lim == nil {
		return nil
	}
	if c.cfg.Observer == nil {
		return lim.WaitN(ctx, max(req.Cost, 1))
	}
	start := time.Now()
	err := lim.WaitN(ctx, max(req.Cost, 1))
	c.cfg.Observer.RateWait(c.cfg.Provider, req.Op, time.Since(start))
	return err
}

func (c *Caller) attempt(ctx context.Context, req Request, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hreq, err := c.newRequest(ctx, req, body)
	if err != nil {
		return c.fail(req, 0, err)
	}
	resp, err := c.cfg.HTTPClient.Do(hreq)
	if err != nil {
		return c.transportError(ctx, req, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return c.transportError(ctx, req, err)
	}
	if resp.StatusCode >= 300 {
		return c.statusError(req, resp, data)
	}
	return c.decode(req, resp.StatusCode, data, out)
}

func (c *Caller) newRequest(ctx context.Context, req Request, body []byte) (*http.Request, error) {
	u := c.cfg.BaseURL + req.Path
	if len(req.Query) > 0 {
		u += "?" + req.Query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	hreq.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	hreq.Header.Set("Accept", "application/json")
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	return hreq, nil
}

// transportError marks a failed round trip as ErrUnavailable, unless the caller's own
// context ended (then it is the caller's cancellation, not the provider's fault).
func (c *Caller) transportError(attemptCtx context.Context, req Request, err error) error {
	if ctxErr := context.Cause(attemptCtx); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
		return c.fail(req, 0, err)
	}
	return c.fail(req, 0, fmt.Errorf("%w: %w", platform.ErrUnavailable, err))
}

func (c *Caller) statusError(req Request, resp *http.Response, data []byte) error {
	typ, msg, ra := c.cfg.DecodeError(data)
	if h := parseRetryAfter(resp.Header.Get("Retry-After"), c.cfg.Now()); h > 0 {
		ra = h
	}
	return &platform.Error{Provider: c.cfg.Provider, Op: req.Op, Status: resp.StatusCode,
		Type: typ, Message: msg, RetryAfter: ra}
}

func (c *Caller) decode(req Request, status int, data []byte, out any) error {
	if out == nil || len(bytes.TrimSpace(data)) == 0 { // an empty 2xx body leaves out as it is
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &platform.Error{Provider: c.cfg.Provider, Op: req.Op, Status: status,
			Err: fmt.Errorf("decode response: %w: %w", platform.ErrMalformed, err)}
	}
	return nil
}

func (c *Caller) fail(req Request, status int, err error) error {
	return &platform.Error{Provider: c.cfg.Provider, Op: req.Op, Status: status, Err: err}
}
