package daily

import (
	"context"
	"net/http"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// Participant is one present participant as Daily's presence endpoints report it.
// Daily's keys are camelCase here (userId, userName, joinTime), unlike elsewhere.
type Participant struct {
	Room     string    `json:"room"`
	ID       string    `json:"id"` // participant session id
	UserID   string    `json:"userId"`
	UserName string    `json:"userName"`
	JoinTime time.Time `json:"joinTime"`
	Duration int64     `json:"duration"` // seconds
}

func (p Participant) session() platform.Session {
	return platform.Session{ID: p.ID, UserID: p.UserID, UserName: p.UserName, JoinedAt: p.JoinTime}
}

type presenceResponse struct {
	TotalCount int           `json:"total_count"`
	Data       []Participant `json:"data"`
}

// RoomPresence lists who is in a room now (GET /rooms/:name/presence). Daily's presence
// lags by up to ~15 s (measured 10–25 s).
func (c *Client) RoomPresence(ctx context.Context, roomName string) ([]platform.Session, error) {
	var resp presenceResponse
	err := c.do(ctx, httpcall.Request{Op: "RoomPresence", Method: http.MethodGet,
		Path: "/rooms/" + seg(roomName) + "/presence"}, &resp)
	if err != nil {
		return nil, err
	}
	return sessions(resp.Data), nil
}

// RoomSessions returns the room's open sessions from presence: every entry has LeftAt nil.
// Daily's /meetings endpoint would add past sessions with exact leave times, but presence is
// the one source every caller (deactivation) needs and costs one request.
func (c *Client) RoomSessions(ctx context.Context, roomName string) ([]platform.Session, error) {
	return c.RoomPresence(ctx, roomName)
}

// DomainPresence reads presence of every room of the domain in one call (GET /presence).
func (c *Client) DomainPresence(ctx context.Context) (map[string][]platform.Session, error) {
	var resp map[string][]Participant
	err := c.do(ctx, httpcall.Request{Op: "DomainPresence", Method: http.MethodGet, Path: "/presence"}, &resp)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]platform.Session, len(resp))
	for room, ps := range resp {
		if len(ps) > 0 {
			out[room] = sessions(ps)
		}
	}
	return out, nil
}

func sessions(ps []Participant) []platform.Session {
	out := make([]platform.Session, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.session())
	}
	return out
}
