package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/lib/pq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
)

// TestErrorTable: the domain errors a request can meet answer their status and client
// text, wrapped or not; an unknown error is a 500 with a fixed text.
func TestErrorTable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err    error
		status int
		text   string
	}{
		{meeting.ErrAdhocAlreadyExist, http.StatusConflict, "An active meeting already exists for this room, please try again"},
		{calendar.ErrNotConfigured, http.StatusBadRequest, "ICS not configured for this room"},
		{calendar.ErrRoomNotFound, http.StatusNotFound, "Room not found"},
		{room.ErrNotFound, http.StatusNotFound, "Room not found"},
		{meeting.ErrNotFound, http.StatusNotFound, "Meeting not found"},
		{fmt.Errorf("store: connection refused"), http.StatusInternalServerError, "Internal Server Error"},
		{&pq.Error{Code: "40P01"}, http.StatusServiceUnavailable, errUnavailable},
		{fmt.Errorf("%w: %w", meeting.ErrConflict, &pq.Error{Code: "40001"}), http.StatusServiceUnavailable, errUnavailable},
		{&pq.Error{Code: "23505"}, http.StatusInternalServerError, "Internal Server Error"},
	} {
		status, body := classify(fmt.Errorf("op: %w", tc.err))
		require.Equal(t, tc.status, status, tc.err.Error())
		require.Equal(t, detail{tc.text}, body, tc.err.Error())
	}
}

// TestSentinelIdentityIsNotClientText: every row of the table names the words a client
// reads, and a sentinel's own text (its identity, for logs) is a lowercase "pkg: what"
// message that never doubles as the client text.
func TestSentinelIdentityIsNotClientText(t *testing.T) {
	t.Parallel()
	for _, s := range sentinel {
		id := s.err.Error()
		require.NotEmpty(t, s.text, id)
		require.NotEqual(t, s.text, id, "client text is the sentinel's identity")
		require.Regexp(t, `^[a-z]+: [a-z]`, id, "sentinel identity")
	}
}

// TestConflictAnswers503: a transaction Postgres aborted (deadlock, serialization failure)
// that the service's retries did not get past is a temporary condition: 503 {"detail"} with
// Retry-After, never a 500.
func TestConflictAnswers503(t *testing.T) {
	t.Parallel()
	e := echo.New()
	rec := httptest.NewRecorder()
	c := e.NewContext(httptest.NewRequest(http.MethodPost, "/", nil), rec)
	errorHandler(zap.NewNop())(fmt.Errorf("meeting.Joined: %w", &pq.Error{Code: "40P01", Message: "deadlock detected"}), c)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Equal(t, retryAfter, rec.Header().Get("Retry-After"))
	require.JSONEq(t, `{"detail": "`+errUnavailable+`"}`, rec.Body.String())
}
