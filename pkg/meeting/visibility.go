package meeting

import (
	"encoding/json"

	"github.com/monadical/reflector-go/pkg/room"
)

// Visible returns m as userID may see it in room r. Every meeting the service hands out
// passes through here, so what a stranger sees is decided in one place, not in the transport:
//   - host_room_url: a host URL that differs from the join URL carries the host's key
//     (Whereby's roomKey): owners only, on every route, shared room or not. Daily's host URL
//     is the join URL itself (host rights come from a token), so it stays, as in the original.
//   - calendar_metadata: owners see the whole event; others its title only, as the calendar
//     event routes show them (no description, no attendees' e-mails).
func Visible(r room.Room, m Meeting, userID string) Meeting {
	if r.IsOwner(userID) {
		return m
	}
	if m.HostRoomURL != m.RoomURL {
		m.HostRoomURL = ""
	}
	m.CalendarMetadata = titleOnly(m.CalendarMetadata)
	return m
}

// visible applies Visible to a handout.
func visible(h Handout, userID string) Handout {
	h.Meeting = Visible(h.Room, h.Meeting, userID)
	return h
}

// titleOnly keeps the title of calendar metadata; nil stays nil.
func titleOnly(md RawJSON) RawJSON {
	if md == nil {
		return nil
	}
	var in struct {
		Title *string `json:"title"`
	}
	_ = json.Unmarshal(md, &in) // unreadable metadata is shown without a title
	out, _ := json.Marshal(in)
	return out
}
