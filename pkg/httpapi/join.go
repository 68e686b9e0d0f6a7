package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// The join protocol of the browser: /joining while in the handshake, /joined once in the call,
// /leave (sendBeacon) when the tab goes.

type joinedBody struct {
	ConnectionID string `json:"connection_id"`
	SessionID    string `json:"session_id"`
	UserName     string `json:"user_name"`
}

// connectionRequest reads the meeting id and a body that must name its connection.
func connectionRequest(c echo.Context) (uuid.UUID, joinedBody, error) {
	var b joinedBody
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return id, b, err
	}
	if err := bindJSON(c, &b); err != nil {
		return id, b, err
	}
	if b.ConnectionID == "" {
		return id, b, invalidField([]any{"body", "connection_id"}, "Field required", "missing")
	}
	return id, b, nil
}

func (s *server) joining(c echo.Context) error {
	id, b, err := connectionRequest(c)
	if err != nil {
		return err
	}
	if err := s.d.Meetings.Joining(c.Request().Context(), c.Param("room_name"), id, caller(c), b.ConnectionID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) joined(c echo.Context) error {
	id, b, err := connectionRequest(c)
	if err != nil {
		return err
	}
	if len(b.SessionID) > 128 || len(b.UserName) > 256 {
		return invalidField([]any{"body"}, "session_id or user_name too long", "string_too_long")
	}
	err = s.d.Meetings.Joined(c.Request().Context(), c.Param("room_name"), id, caller(c), b.ConnectionID, b.SessionID, b.UserName)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// leave reads its body raw: sendBeacon posts text/plain, and a body that does not parse is
// ignored rather than refused, since the tab is already gone.
func (s *server) leave(c echo.Context) error {
	id, err := pathUUID(c, "meeting_id")
	if err != nil {
		return err
	}
	delay, err := queryInt(c, "delay_seconds", 2, 0, 300)
	if err != nil {
		return err
	}
	var b joinedBody
	raw, _ := io.ReadAll(io.LimitReader(c.Request().Body, 64<<10))
	_ = json.Unmarshal(raw, &b)
	if err := badStrings(b); err != nil {
		return err
	}
	if b.ConnectionID == "" {
		b.ConnectionID = c.QueryParam("connection_id")
	}
	if len(b.ConnectionID) > 128 || len(b.SessionID) > 128 {
		b.ConnectionID, b.SessionID = "", ""
	}
	err = s.d.Meetings.Leave(c.Request().Context(), c.Param("room_name"), id, b.ConnectionID, b.SessionID, time.Duration(delay)*time.Second)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
