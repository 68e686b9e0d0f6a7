package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/roomhook"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// detail is the error body of every failure, as the original's FastAPI answers.
type detail struct {
	Detail any `json:"detail"`
}

// fieldError is one entry of a 422 body: {"loc": [...], "msg": ..., "type": ...}.
type fieldError struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// invalid is a 422 with field details.
type invalid struct{ fields []fieldError }

func (e *invalid) Error() string { return "invalid request" }

func invalidField(loc []any, msg, typ string) error {
	return &invalid{fields: []fieldError{{Loc: loc, Msg: msg, Type: typ}}}
}

// statusError is an error with its own status and detail text, for rules owned by httpapi.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

var (
	errNotAuthenticated = &statusError{http.StatusUnauthorized, "Not authenticated"}
	errBadToken         = &statusError{http.StatusUnauthorized, "Invalid authentication"}
)

// sentinel maps the domain errors to statuses and client texts: the one error table of the
// service. A sentinel's own text is its identity, for logs; text is what a client reads.
var sentinel = []struct { //nolint:gochecknoglobals // constant table
	err    error
	status int
	text   string
}{
	{room.ErrNotFound, http.StatusNotFound, "Room not found"},
	{meeting.ErrNotFound, http.StatusNotFound, "Meeting not found"},
	{room.ErrNameTaken, http.StatusBadRequest, "Room name is not unique"},
	{room.ErrAccessDenied, http.StatusForbidden, "Room access denied"},
	{room.ErrNotOwner, http.StatusForbidden, "Not authorized"},
	{meeting.ErrNotRoomOwner, http.StatusForbidden, "Only the room owner can deactivate meetings"},
	{roomhook.ErrNotOwner, http.StatusForbidden, "Not authorized to test this room's webhook"},
	{meeting.ErrBadConnectionID, http.StatusUnprocessableEntity, "connection_id must be 1 to 128 characters"},
	{meeting.ErrProviderFailed, http.StatusServiceUnavailable, "Video provider unavailable, please try again"},
	{meeting.ErrCreateInProgress, http.StatusServiceUnavailable, "Meeting creation in progress, please try again"},
	{meeting.ErrTooManyCreates, http.StatusTooManyRequests, "Too many meetings created in this room, please retry later"},
	{meeting.ErrTooManyMeetings, http.StatusTooManyRequests, "This room has too many active meetings"},
	{meeting.ErrNotActive, http.StatusBadRequest, "Meeting is not active"},
	{meeting.ErrEnded, http.StatusBadRequest, "Meeting has ended"},
	{meeting.ErrRecordingFailed, http.StatusBadGateway, "Failed to start recording"},
	{webhook.ErrBadSignature, http.StatusUnauthorized, "Invalid webhook signature"},
	{webhook.ErrMalformed, http.StatusBadRequest, "Invalid JSON"},
	// Only reachable if the room lock is bypassed: a concurrent creator won; retrying joins it.
	{meeting.ErrAdhocAlreadyExist, http.StatusConflict, "An active meeting already exists for this room, please try again"},
	{calendar.ErrNotConfigured, http.StatusBadRequest, "ICS not configured for this room"},
	{calendar.ErrRoomNotFound, http.StatusNotFound, "Room not found"}, // deleted since it was looked up
	{calendar.ErrSyncNotOwner, http.StatusForbidden, "Only room owner can trigger ICS sync"},
	{calendar.ErrStatusNotOwner, http.StatusForbidden, "Only room owner can view ICS status"},
}

// clientText is the words a client reads for a sentinel of the table ("" for another error).
func clientText(err error) string {
	for _, s := range sentinel {
		if errors.Is(err, s.err) {
			return s.text
		}
	}
	return ""
}

// errorHandler writes every error as {"detail": ...}; a 5xx is logged with the request id and
// answered with a fixed text, so internal details never reach clients.
func errorHandler(log *zap.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, body := classify(err)
		if (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) && c.Response().Header().Get("Retry-After") == "" {
			c.Response().Header().Set("Retry-After", retryAfter)
		}
		if status >= 500 {
			log.Error("request failed", zap.String("method", c.Request().Method), zap.String("path", c.Path()),
				zap.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)), zap.Int("status", status), zap.Error(err))
		}
		_ = c.JSON(status, body)
	}
}

func classify(err error) (int, any) {
	var (
		inv  *invalid
		verr *room.ValidationError
		gone *meeting.GoneError
		st   *statusError
		he   *echo.HTTPError
	)
	switch {
	case errors.As(err, &inv):
		return http.StatusUnprocessableEntity, detail{inv.fields}
	case errors.As(err, &verr):
		return http.StatusUnprocessableEntity, detail{roomFields(verr)}
	case errors.As(err, &gone):
		return http.StatusBadRequest, goneBody{Detail: clientText(gone.Reason), ActiveMeetingID: gone.ActiveID, RoomName: gone.RoomName}
	case errors.As(err, &st):
		return st.status, detail{st.msg}
	case errors.As(err, &he):
		return he.Code, detail{http.StatusText(he.Code)}
	}
	for _, s := range sentinel {
		if errors.Is(err, s.err) {
			return s.status, detail{s.text}
		}
	}
	if unavailable(err) {
		return http.StatusServiceUnavailable, detail{errUnavailable}
	}
	return http.StatusInternalServerError, detail{"Internal Server Error"}
}

// goneBody answers a client holding a meeting that can no longer be joined, naming the room's
// current active meeting so it rejoins the right one.
type goneBody struct {
	Detail          string `json:"detail"`
	ActiveMeetingID any    `json:"active_meeting_id"`
	RoomName        string `json:"room_name"`
}

func roomFields(v *room.ValidationError) []fieldError {
	out := make([]fieldError, len(v.Fields))
	for i, f := range v.Fields {
		loc := make([]any, len(f.Loc))
		for j, l := range f.Loc {
			loc[j] = l
		}
		out[i] = fieldError{Loc: loc, Msg: f.Msg, Type: f.Type}
	}
	return out
}

// decodeError turns a JSON decoding failure into a 422 naming the field.
func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return invalidField([]any{"body", te.Field}, "Input should be a valid "+te.Type.String(), "type_error")
	}
	return invalidField([]any{"body"}, "JSON decode error: "+err.Error(), "json_invalid")
}
