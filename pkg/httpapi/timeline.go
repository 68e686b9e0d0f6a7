package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// meetingTimeline answers GET /v1/meetings/:meeting_id/timeline: the meeting's timeline, to
// the owner of its room only ("why did this meeting end?").
func (s *server) meetingTimeline(c echo.Context) error {
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return err
	}
	m, evs, err := s.d.Meetings.Timeline(c.Request().Context(), id, caller(c))
	if err != nil {
		return err
	}
	events := make([]map[string]any, len(evs))
	for i, e := range evs {
		events[i] = map[string]any{"id": e.ID, "at": e.At.UTC(), "kind": e.Kind, "actor": e.Actor, "detail": e.Detail}
	}
	return c.JSON(http.StatusOK, map[string]any{"meeting_id": m.ID, "is_active": m.IsActive,
		"ended_reason": m.EndedReason, "events": events})
}
