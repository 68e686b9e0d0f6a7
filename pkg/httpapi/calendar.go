package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/room"
)

// errCalendarOff answers the calendar endpoints when the calendar is not configured.
var errCalendarOff = &statusError{http.StatusServiceUnavailable, "Calendar sync is not available"}

// maxMinutesAhead bounds minutes_ahead of the upcoming list (a week); the original takes any
// integer, but a negative or huge window is a client bug better reported as 422.
const maxMinutesAhead = 7 * 24 * 60

// calendarRoom resolves the room of a calendar endpoint as the caller sees it (404 if
// unknown). The calendar service applies the owner rules to it.
func (s *server) calendarRoom(c echo.Context) (room.Room, error) {
	if s.d.Calendar == nil {
		return room.Room{}, errCalendarOff
	}
	return s.d.Rooms.GetByName(c.Request().Context(), caller(c), c.Param("room_name"))
}

// syncICS runs the room's sync now (owner only). A feed that cannot be fetched or parsed
// answers 200 with status "error" and the reason (the original answers 500): the request did
// what it was asked, the body says how the feed fared, and the same outcome is stored for
// /ics/status.
func (s *server) syncICS(c echo.Context) error {
	r, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	res, err := s.d.Calendar.SyncFor(c.Request().Context(), r, caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *server) icsStatus(c echo.Context) error {
	r, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	st, err := s.d.Calendar.StatusFor(c.Request().Context(), r, caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// calendarEvents lists every non-deleted event of the room, redacted for non-owners.
func (s *server) calendarEvents(c echo.Context) error {
	r, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	events, err := s.d.Calendar.EventsFor(c.Request().Context(), r, caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, events)
}

// upcomingEvents lists the events starting within minutes_ahead (default 120), ongoing ones
// included, redacted as calendarEvents.
func (s *server) upcomingEvents(c echo.Context) error {
	minutes, err := queryInt(c, "minutes_ahead", 120, 0, maxMinutesAhead)
	if err != nil {
		return err
	}
	r, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	events, err := s.d.Calendar.UpcomingFor(c.Request().Context(), r, caller(c), minutes)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, events)
}
