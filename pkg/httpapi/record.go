package httpapi

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
)

// startRecordingBody is the original's StartRecordingRequest.
type startRecordingBody struct {
	Type       *string `json:"type"`
	InstanceID *string `json:"instanceId"`
}

// validate checks the body as the original's pydantic model does.
func (b startRecordingBody) validate() (string, uuid.UUID, error) {
	var fields []fieldError
	switch {
	case b.Type == nil:
		fields = append(fields, fieldError{Loc: []any{"body", "type"}, Msg: "Field required", Type: "missing"})
	case *b.Type != platform.RecordingCloud && *b.Type != platform.RecordingRawTracks:
		fields = append(fields, fieldError{Loc: []any{"body", "type"}, Msg: "Input should be 'cloud' or 'raw-tracks'", Type: "literal_error"})
	}
	var id uuid.UUID
	if b.InstanceID == nil {
		fields = append(fields, fieldError{Loc: []any{"body", "instanceId"}, Msg: "Field required", Type: "missing"})
	} else if u, err := uuid.Parse(*b.InstanceID); err != nil {
		fields = append(fields, fieldError{Loc: []any{"body", "instanceId"}, Msg: "Input should be a valid UUID", Type: "uuid_parsing"})
	} else {
		id = u
	}
	if fields != nil {
		return "", uuid.Nil, &invalid{fields: fields}
	}
	return *b.Type, id, nil
}

// startRecording is the original's POST /v1/meetings/{id}/recordings/start: anonymous
// callers allowed (every participant's web app calls it), "already active" is a 200.
func (s *server) startRecording(c echo.Context) error {
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return err
	}
	var b startRecordingBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	typ, instance, err := b.validate()
	if err != nil {
		return err
	}
	res, err := s.d.Meetings.StartRecording(c.Request().Context(), id, typ, instance)
	switch {
	case errors.Is(err, meeting.ErrRecordingFailed):
		// The web app retries while the text says "does not seem to be hosting a call", so
		// the provider's own message is passed on.
		return &statusError{http.StatusBadGateway, clientText(meeting.ErrRecordingFailed) + ": " + providerMessage(err)}
	case err != nil:
		return err
	case res.AlreadyActive:
		return c.JSON(http.StatusOK, map[string]any{"status": "already_active", "instanceId": instance.String()})
	case res.ByRoom:
		return c.JSON(http.StatusOK, map[string]any{"status": "ok", "result": map[string]any{"started_by": "room"}})
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "result": res.Result})
}

// providerMessage is the provider's error text (Daily's "info"), never our own wrapping.
func providerMessage(err error) string {
	var pe *platform.Error
	if errors.As(err, &pe) && pe.Message != "" {
		return pe.Message
	}
	if errors.As(err, &pe) && pe.Status == 0 {
		return "provider unavailable"
	}
	return "provider error"
}

// me is the original's GET /v1/me: the verified caller's {sub, email}, null when anonymous.
func (s *server) me(c echo.Context) error {
	u, _ := c.Get(userKey).(User)
	if u.ID == "" {
		return c.JSON(http.StatusOK, nil)
	}
	var email *string
	if u.Email != "" {
		email = &u.Email
	}
	return c.JSON(http.StatusOK, map[string]any{"sub": u.ID, "email": email})
}

// deactivate is the owner's "End meeting" (PATCH /v1/meetings/{id}/deactivate).
func (s *server) deactivate(c echo.Context) error {
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return err
	}
	if err := s.d.Meetings.Deactivate(c.Request().Context(), caller(c), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "success", "meeting_id": id})
}
