package meeting

import (
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
)

// Visible returns m as userID may see it in room r. Owner-only fields are blanked for
// everyone else: the Whereby host URL carries the host's key. Every meeting the service
// hands out passes through here, so the rule lives in one place, not in the transport.
func Visible(r room.Room, m Meeting, userID string) Meeting {
	if m.Platform == platform.Whereby && !r.IsOwner(userID) {
		m.HostRoomURL = ""
	}
	return m
}

// visible applies Visible to a handout.
func visible(h Handout, userID string) Handout {
	h.Meeting = Visible(h.Room, h.Meeting, userID)
	return h
}
