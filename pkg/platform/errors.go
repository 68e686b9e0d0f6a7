package platform

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors every provider client maps its failures to. Match them with errors.Is.
var (
	// ErrNotFound: the provider room, meeting or recording does not exist (HTTP 404).
	ErrNotFound = errors.New("platform: not found")
	// ErrAlreadyExists: the provider already has an object with that name.
	ErrAlreadyExists = errors.New("platform: already exists")
	// ErrRateLimited: the provider answered 429 and retries were exhausted.
	ErrRateLimited = errors.New("platform: rate limited")
	// ErrUnavailable: the provider failed (5xx), timed out, was unreachable, or the client's
	// circuit breaker is open and no call was made.
	ErrUnavailable = errors.New("platform: unavailable")
	// ErrBadSignature: a webhook's signature or timestamp did not verify.
	ErrBadSignature = errors.New("platform: bad webhook signature")
	// ErrUnknownPlatform: no client is registered under the requested name.
	ErrUnknownPlatform = errors.New("platform: unknown platform")
	// ErrMalformed: a provider response or webhook body could not be decoded.
	ErrMalformed = errors.New("platform: malformed provider data")
)

// Error is a failed provider call. It unwraps to the sentinel its status implies
// (404 → ErrNotFound, 409 → ErrAlreadyExists, 429 → ErrRateLimited, 5xx → ErrUnavailable)
// and to Err, so callers match with errors.Is and read the details with errors.As.
type Error struct {
	Provider   string        // platform name, e.g. "daily"
	Op         string        // our operation, e.g. "CreateMeeting"
	Status     int           // HTTP status; 0 when no response was received
	Type       string        // provider error type, e.g. "not-found", "invalid-request-error"
	Message    string        // provider's human-readable text (Daily "info")
	RetryAfter time.Duration // provider's Retry-After on 429, if any
	// Err is the underlying cause: a transport error, a decode error, or a sentinel the
	// provider client attached (e.g. ErrAlreadyExists for Daily's 400 "already exists").
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Provider, e.Op)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": status %d", e.Status)
	}
	if e.Type != "" {
		fmt.Fprintf(&b, " %s", e.Type)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the sentinel implied by the status (or the provider's error type) and Err.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if s := statusSentinel(e.Status, e.Type); s != nil {
		errs = append(errs, s)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

func statusSentinel(status int, typ string) error {
	switch {
	case status == 404 || typ == "not-found":
		return ErrNotFound
	case status == 409:
		return ErrAlreadyExists
	case status == 429 || typ == "rate-limit-error":
		return ErrRateLimited
	case status >= 500 || typ == "server-error":
		return ErrUnavailable
	}
	return nil
}
