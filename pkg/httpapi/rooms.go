package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/room"
)

// roomPage is the original's Page[RoomDetails].
type roomPage struct {
	Items []room.Room `json:"items"`
	Total int         `json:"total"`
	Page  int         `json:"page"`
	Size  int         `json:"size"`
	Pages int         `json:"pages"`
}

func (s *server) listRooms(c echo.Context) error {
	page, err := queryInt(c, "page", 1, 1, 1_000_000)
	if err != nil {
		return err
	}
	size, err := queryInt(c, "size", 50, 1, 100)
	if err != nil {
		return err
	}
	p, err := s.d.Rooms.List(c.Request().Context(), caller(c), page, size)
	if err != nil {
		return err
	}
	items := p.Items
	if items == nil {
		items = []room.Room{}
	}
	return c.JSON(http.StatusOK, roomPage{Items: items, Total: p.Total, Page: p.Page, Size: p.Size, Pages: (p.Total + size - 1) / size})
}

func (s *server) getRoom(c echo.Context) error {
	id, err := pathUUID(c, "room_id")
	if err != nil {
		return err
	}
	r, err := s.d.Rooms.Get(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) getRoomByName(c echo.Context) error {
	r, err := s.d.Rooms.GetByName(c.Request().Context(), caller(c), c.Param("room_name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) createRoom(c echo.Context) error {
	var in room.Input
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	r, err := s.d.Rooms.Create(c.Request().Context(), caller(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) updateRoom(c echo.Context) error {
	id, err := pathUUID(c, "room_id")
	if err != nil {
		return err
	}
	var p room.Patch
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	r, err := s.d.Rooms.Update(c.Request().Context(), caller(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) deleteRoom(c echo.Context) error {
	id, err := pathUUID(c, "room_id")
	if err != nil {
		return err
	}
	if err := s.d.Rooms.Delete(c.Request().Context(), caller(c), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
