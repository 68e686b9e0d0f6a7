package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/room"
)

// Answers of the calendar endpoints, with the original's texts.
var (
	errICSSyncNotOwner   = &statusError{http.StatusForbidden, "Only room owner can trigger ICS sync"}
	errICSStatusNotOwner = &statusError{http.StatusForbidden, "Only room owner can view ICS status"}
	errCalendarOff       = &statusError{http.StatusServiceUnavailable, "Calendar sync is not available"}
)

// maxMinutesAhead bounds minutes_ahead of the upcoming list (a week); the original takes any
// integer, but a negative or huge window is a client bug better reported as 422.
const maxMinutesAhead = 7 * 24 * 60

// calendarRoom resolves the room of a calendar endpoint (404 if unknown) and whether the
// caller owns it.
func (s *server) calendarRoom(c echo.Context) (room.Room, bool, error) {
	if s.d.Calendar == nil {
		return room.Room{}, false, errCalendarOff
	}
	r, err := s.d.Rooms.GetByName(c.Request().Context(), caller(c), c.Param("room_name"))
	if err != nil {
		return room.Room{}, false, err
	}
	return r, r.IsOwner(caller(c)), nil
}

// syncICS runs the room's sync now, not throttled by the fetch interval. A feed that cannot
// be fetched or parsed answers 200 with status "error" and the reason (the original answers
// 500): the request did what it was asked, the body says how the feed fared, and the same
// outcome is stored for /ics/status.
func (s *server) syncICS(c echo.Context) error {
	r, owner, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	if !owner {
		return errICSSyncNotOwner
	}
	res, err := s.d.Calendar.SyncRoom(c.Request().Context(), r.ID, true)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *server) icsStatus(c echo.Context) error {
	r, owner, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	if !owner {
		return errICSStatusNotOwner
	}
	st, err := s.d.Calendar.RoomStatus(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// calendarEvents lists every non-deleted event of the room; description and attendees are
// null for callers who do not own it.
func (s *server) calendarEvents(c echo.Context) error {
	r, owner, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	events, err := s.d.Calendar.RoomEvents(c.Request().Context(), r.ID, owner)
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
	r, owner, err := s.calendarRoom(c)
	if err != nil {
		return err
	}
	events, err := s.d.Calendar.RoomUpcoming(c.Request().Context(), r.ID, minutes, owner)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, events)
}
