package platform_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
)

// TestOutcome checks the metrics label of every way a provider call ends, including the
// wrapped forms the clients return (a *platform.Error, a transport error with its cause).
func TestOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"success", nil, "ok"},
		{"404 from the provider", fmt.Errorf("meeting.Create: %w", &platform.Error{Provider: "daily", Status: 404}), "not_found"},
		{"provider not-found type", &platform.Error{Status: 400, Type: "not-found"}, "not_found"},
		{"429 after retries", &platform.Error{Status: 429}, "rate_limited"},
		{"5xx", &platform.Error{Status: 502}, "unavailable"},
		{"breaker open", fmt.Errorf("daily CreateMeeting: breaker open: %w", platform.ErrUnavailable), "unavailable"},
		// A timed-out attempt is reported as the provider being unavailable, not as our
		// cancellation: the client maps it to ErrUnavailable first.
		{"timeout mapped to unavailable",
			&platform.Error{Err: fmt.Errorf("%w: %w", platform.ErrUnavailable, context.DeadlineExceeded)}, "unavailable"},
		{"caller canceled", fmt.Errorf("daily RoomSessions: %w", context.Canceled), "canceled"},
		{"caller deadline", &platform.Error{Err: context.DeadlineExceeded}, "canceled"},
		{"400 invalid request", &platform.Error{Status: 400, Type: "invalid-request-error"}, "error"},
		{"409 already exists", &platform.Error{Status: 409}, "error"},
		{"undecodable body", fmt.Errorf("decode: %w", platform.ErrMalformed), "error"},
		{"plain error", errors.New("boom"), "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, platform.Outcome(tt.err))
		})
	}
}
