package whereby

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// RoomSession is one entry of GET /insights/room-sessions.
type RoomSession struct {
	RoomSessionID string     `json:"roomSessionId"`
	RoomName      string     `json:"roomName"`
	StartedAt     time.Time  `json:"startedAt"`
	EndedAt       *time.Time `json:"endedAt"` // nil while the session is ongoing
}

type roomSessionList struct {
	Results []RoomSession `json:"results"`
	Cursor  *string       `json:"cursor"`
}

// RoomSessions lists a room's sessions, past and ongoing (GET /insights/room-sessions).
// A Whereby room session spans the time anyone was in the room, so Session.ID is the
// roomSessionId and UserID/UserName are empty; LeftAt is nil while it is ongoing. The
// leading "/" of roomName is added when missing.
func (c *Client) RoomSessions(ctx context.Context, roomName string) ([]platform.Session, error) {
	if !strings.HasPrefix(roomName, "/") {
		roomName = "/" + roomName
	}
	q := url.Values{"roomName": {roomName}, "limit": {"100"}}
	var out []platform.Session
	for range maxListPages {
		var page roomSessionList
		err := c.http.Do(ctx, httpcall.Request{Op: "RoomSessions", Method: http.MethodGet,
			Path: "/insights/room-sessions", Query: q, Cost: costRead}, &page)
		if err != nil {
			return nil, err
		}
		for _, s := range page.Results {
			out = append(out, platform.Session{ID: s.RoomSessionID, JoinedAt: s.StartedAt, LeftAt: s.EndedAt})
		}
		if page.Cursor == nil || *page.Cursor == "" {
			break
		}
		q.Set("cursor", *page.Cursor)
	}
	return out, nil
}

func isNotFound(err error) bool { return errors.Is(err, platform.ErrNotFound) }
