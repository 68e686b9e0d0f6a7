package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

var errNoRoomHooks = &statusError{http.StatusServiceUnavailable, "Room webhooks are not configured"}

// testRoomWebhook is the original's POST /v1/rooms/{room_id}/webhook/test: the test event is
// sent now and the receiver's answer reported (owner only).
func (s *server) testRoomWebhook(c echo.Context) error {
	id, err := pathUUID(c, "room_id")
	if err != nil {
		return err
	}
	if s.d.RoomHooks == nil {
		return errNoRoomHooks
	}
	res, err := s.d.RoomHooks.Test(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
