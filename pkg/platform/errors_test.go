package platform_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
)

func TestErrorUnwrapsToSentinels(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp: refused")
	tests := []struct {
		name string
		err  *platform.Error
		want []error
		not  []error
	}{
		{"404", &platform.Error{Status: 404}, []error{platform.ErrNotFound}, []error{platform.ErrUnavailable}},
		{"not-found type", &platform.Error{Status: 400, Type: "not-found"}, []error{platform.ErrNotFound}, nil},
		{"409", &platform.Error{Status: 409}, []error{platform.ErrAlreadyExists}, nil},
		{"429", &platform.Error{Status: 429}, []error{platform.ErrRateLimited}, []error{platform.ErrUnavailable}},
		{"503", &platform.Error{Status: 503}, []error{platform.ErrUnavailable}, []error{platform.ErrNotFound}},
		{"400", &platform.Error{Status: 400, Type: "invalid-request-error"}, nil,
			[]error{platform.ErrNotFound, platform.ErrUnavailable, platform.ErrRateLimited}},
		{"attached sentinel", &platform.Error{Status: 400, Err: platform.ErrAlreadyExists}, []error{platform.ErrAlreadyExists}, nil},
		{"transport", &platform.Error{Err: fmt.Errorf("%w: %w", platform.ErrUnavailable, cause)},
			[]error{platform.ErrUnavailable, cause}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("meeting.Create: %w", tt.err)
			for _, w := range tt.want {
				require.ErrorIs(t, wrapped, w)
			}
			for _, n := range tt.not {
				require.NotErrorIs(t, wrapped, n)
			}
			var pe *platform.Error
			require.ErrorAs(t, wrapped, &pe)
		})
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	err := &platform.Error{Provider: "daily", Op: "DeleteRoom", Status: 404, Type: "not-found", Message: "room x not found"}
	require.Equal(t, "daily DeleteRoom: status 404 not-found: room x not found", err.Error())
}

// TestErrorMessageParts checks that absent parts are left out rather than printed empty: a
// transport failure has no status, type or provider text, only its cause.
func TestErrorMessageParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *platform.Error
		want string
	}{
		{&platform.Error{Provider: "whereby", Op: "CreateMeeting", Err: errors.New("dial tcp: refused")},
			"whereby CreateMeeting: dial tcp: refused"},
		{&platform.Error{Provider: "daily", Op: "MeetingToken", Status: 500}, "daily MeetingToken: status 500"},
		{&platform.Error{Provider: "daily", Op: "CreateMeeting", Status: 400, Type: "invalid-request-error",
			Message: "a room named x already exists", Err: platform.ErrAlreadyExists},
			"daily CreateMeeting: status 400 invalid-request-error: a room named x already exists: platform: already exists"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.err.Error())
	}
}
