// Package platform is the video-provider abstraction: a small Client every provider implements,
// optional capabilities as separate interfaces found by type assertion, and the registry that
// selects a provider for a room.
package platform

import (
	"context"
	"net/http"
	"time"
)

// Known platform names. The registry accepts any name a client registers under.
const (
	Daily   = "daily"
	Whereby = "whereby"
)

// RoomSettings are the room settings a provider needs to create a meeting.
type RoomSettings struct {
	Name             string // our room name, used as the provider room-name prefix
	IsLocked         bool
	RoomMode         string // normal | group
	RecordingType    string // none | local | cloud
	RecordingTrigger string // none | prompt | automatic | automatic-2nd-participant
}

// CreateRequest asks a provider for a meeting room.
type CreateRequest struct {
	// MeetingID is our meeting's identity. Providers derive their room name from it
	// deterministically, so a retried or raced create adopts the room instead of making two.
	MeetingID string
	Room      RoomSettings
	EndDate   time.Time
}

// Meeting is what a provider returns for a created (or adopted) meeting room.
type Meeting struct {
	ProviderID  string // the provider's id of the room/meeting
	RoomName    string // the provider's room name (Whereby's starts with "/")
	RoomURL     string
	HostRoomURL string
}

// Session is one participant session as the provider reports it.
type Session struct {
	ID       string // provider participant session id
	UserID   string
	UserName string
	JoinedAt time.Time
	LeftAt   *time.Time // nil while the participant is present
}

// Client is what every provider implements.
type Client interface {
	// Name is the platform name the client is registered under.
	Name() string
	// CreateMeeting creates the provider room for req.MeetingID, or adopts it if it exists.
	CreateMeeting(ctx context.Context, req CreateRequest) (Meeting, error)
	// RoomSessions lists the sessions of a provider room, past and present.
	RoomSessions(ctx context.Context, roomName string) ([]Session, error)
	// DeleteRoom deletes a provider room; a room that does not exist is not an error.
	DeleteRoom(ctx context.Context, roomName string) error
	// VerifyWebhook checks a webhook's signature over its raw body; now bounds replay.
	VerifyWebhook(h http.Header, body []byte, now time.Time) error
}

// PresenceReader reads who is in one provider room right now.
type PresenceReader interface {
	RoomPresence(ctx context.Context, roomName string) ([]Session, error)
}

// DomainPresenceReader reads presence of every room in one call, keyed by provider room name.
// Rooms with nobody present are absent from the map.
type DomainPresenceReader interface {
	DomainPresence(ctx context.Context) (map[string][]Session, error)
}

// TokenRequest asks for a meeting token for one user.
type TokenRequest struct {
	RoomName            string
	UserID              string
	IsOwner             bool
	EnableRecordingUI   bool
	StartCloudRecording bool
	Exp                 time.Time // zero: no expiry of its own
}

// TokenIssuer mints meeting tokens (Daily).
type TokenIssuer interface {
	MeetingToken(ctx context.Context, req TokenRequest) (string, error)
}

// ProviderRoom is one provider room as the provider lists it.
type ProviderRoom struct {
	Name      string // as CreateMeeting returned it in Meeting.RoomName
	Ref       string // what DeleteRoom takes to delete it
	CreatedAt time.Time
}

// RoomLister lists the provider rooms named the way CreateMeeting names them, newest first,
// reading at most maxPages pages (the provider's page size), for the orphan sweep.
type RoomLister interface {
	ListRooms(ctx context.Context, maxPages int) ([]ProviderRoom, error)
}
