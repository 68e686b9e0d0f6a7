package httpapi

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// meetingView is the original's Meeting schema, plus the connection id the caller's join
// intent is registered under (for /joining, /joined and /leave).
type meetingView struct {
	meeting.Meeting
	UserID       *string `json:"user_id"`
	ConnectionID string  `json:"connection_id,omitempty"`
}

type createMeetingBody struct {
	AllowDuplicated *bool  `json:"allow_duplicated"`
	ConnectionID    string `json:"connection_id"`
}

func (s *server) createMeeting(c echo.Context) error {
	var b createMeetingBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	dup := b.AllowDuplicated != nil && *b.AllowDuplicated
	if dup { // every such request makes a provider room
		if err := s.creates.allow(c, c.RealIP()); err != nil {
			return err
		}
	}
	h, err := s.d.Meetings.GetOrCreate(c.Request().Context(), c.Param("room_name"), caller(c), b.ConnectionID, dup)
	if err != nil {
		return err
	}
	v := meetingView{Meeting: h.Meeting}
	v.ConnectionID = h.ConnectionID
	return c.JSON(http.StatusOK, v)
}

func (s *server) activeMeetings(c echo.Context) error {
	_, ms, err := s.d.Meetings.Active(c.Request().Context(), c.Param("room_name"), caller(c))
	if err != nil {
		return err
	}
	out := make([]meetingView, len(ms))
	for i, m := range ms {
		out[i] = meetingView{Meeting: m}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *server) getMeeting(c echo.Context) error {
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return err
	}
	_, m, err := s.d.Meetings.Get(c.Request().Context(), c.Param("room_name"), id, caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, meetingView{Meeting: m})
}

type joinBody struct {
	ConnectionID string `json:"connection_id"`
}

func (s *server) joinMeeting(c echo.Context) error {
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return err
	}
	var b joinBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	ctx := c.Request().Context()
	h, err := s.d.Meetings.Join(ctx, c.Param("room_name"), id, caller(c), b.ConnectionID)
	if err != nil {
		return err
	}
	v := meetingView{Meeting: h.Meeting}
	v.ConnectionID = h.ConnectionID
	tok, err := s.d.Meetings.Token(ctx, h.Room, h.Meeting, caller(c))
	if err != nil {
		return err
	}
	if tok != "" {
		v.RoomURL = withToken(v.RoomURL, tok)
	}
	return c.JSON(http.StatusOK, v)
}

// withToken sets the t query parameter of a room URL, replacing any existing one.
func withToken(raw, tok string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set("t", tok)
	u.RawQuery = q.Encode()
	return u.String()
}

type consentBody struct {
	ConsentGiven *bool `json:"consent_given"`
}

func (s *server) meetingConsent(c echo.Context) error {
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return err
	}
	var b consentBody
	if err := bindJSON(c, &b); err != nil {
		return err
	}
	if b.ConsentGiven == nil {
		return invalidField([]any{"body", "consent_given"}, "Field required", "missing")
	}
	cid, err := s.d.Meetings.Consent(c.Request().Context(), id, caller(c), *b.ConsentGiven)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "success", "consent_id": cid})
}
