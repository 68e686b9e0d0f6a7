package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Whereby endpoints (ServeMux patterns) for FailNext, SetRateLimit and CallCount.
const (
	WherebyCreateMeeting = "POST /meetings"
	WherebyListMeetings  = "GET /meetings"
	WherebyGetMeeting    = "GET /meetings/{id}"
	WherebyDeleteMeeting = "DELETE /meetings/{id}"
	WherebyRoomSessions  = "GET /insights/room-sessions"
)

// WherebyOptions configures a Whereby emulator. Zero values get the defaults noted.
type WherebyOptions struct {
	Subdomain     string           // room URLs are https://<Subdomain>.whereby.com/<name>; default "emulator"
	APIKey        string           // when set, requests must carry "Bearer <APIKey>"
	WebhookSecret string           // signing secret (UTF-8); default random
	Now           func() time.Time // default time.Now
	Latency       time.Duration
	PresenceLag   time.Duration
	HTTPClient    *http.Client // sends webhooks; default: 5 s timeout
}

// Whereby is an in-process Whereby REST API. Create it with NewWhereby.
type Whereby struct {
	core
	subdomain string
	apiKey    string
	secret    []byte
	client    *http.Client

	mu           sync.Mutex
	meetings     []*wbMeeting
	deleted      []string
	participants []*participant
	sessions     []*wbSession
	creates      []json.RawMessage
}

type wbMeeting struct {
	ID, RoomName, RoomURL, HostRoomURL string
	Start, End                         time.Time
}

type wbSession struct {
	id, room string
	started  time.Time
	ended    *time.Time
}

// NewWhereby returns a Whereby emulator.
func NewWhereby(o WherebyOptions) *Whereby {
	if o.Subdomain == "" {
		o.Subdomain = "emulator"
	}
	if o.WebhookSecret == "" {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		o.WebhookSecret = hex.EncodeToString(b)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	return &Whereby{core: newCore(o.Now, o.Latency, o.PresenceLag), subdomain: o.Subdomain,
		apiKey: o.APIKey, secret: []byte(o.WebhookSecret), client: o.HTTPClient}
}

// Start serves the emulator on a loopback port; url is the API root (use it as BaseURL).
func (wb *Whereby) Start() (url string, stop func()) { return start(wb.Handler()) }

// WebhookSecret is the secret the emulator signs webhooks with.
func (wb *Whereby) WebhookSecret() string { return string(wb.secret) }

// CreateRequests returns the raw bodies of every accepted POST /meetings.
func (wb *Whereby) CreateRequests() []json.RawMessage {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	return slices.Clone(wb.creates)
}

func slashed(room string) string {
	if strings.HasPrefix(room, "/") {
		return room
	}
	return "/" + room
}

// Join puts a participant in a room now (roomName with or without the leading "/"),
// opening a room session if the room was empty.
func (wb *Whereby) Join(roomName, sessionID, userID, userName string) {
	now, room := wb.Now(), slashed(roomName)
	wb.mu.Lock()
	defer wb.mu.Unlock()
	if wb.present(room) == 0 {
		wb.sessions = append(wb.sessions, &wbSession{id: newUUID(), room: room, started: now})
	}
	wb.participants = append(wb.participants,
		&participant{room: room, id: sessionID, userID: userID, userName: userName, joined: now})
}

// Leave takes a participant out of a room now, ending the room session when it empties.
func (wb *Whereby) Leave(roomName, sessionID string) {
	now, room := wb.Now(), slashed(roomName)
	wb.mu.Lock()
	defer wb.mu.Unlock()
	for _, p := range wb.participants {
		if p.room == room && p.id == sessionID && p.left == nil {
			p.left = &now
		}
	}
	if wb.present(room) > 0 {
		return
	}
	for _, s := range wb.sessions {
		if s.room == room && s.ended == nil {
			s.ended = &now
		}
	}
}

// present counts participants in room right now (not lagged). Callers hold wb.mu.
func (wb *Whereby) present(room string) int {
	n := 0
	for _, p := range wb.participants {
		if p.room == room && p.left == nil {
			n++
		}
	}
	return n
}

// Rooms lists the room names (with "/") of meetings not deleted, sorted.
func (wb *Whereby) Rooms() []string {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	names := make([]string, 0, len(wb.meetings))
	for _, m := range wb.meetings {
		names = append(names, m.RoomName)
	}
	sort.Strings(names)
	return names
}

// RoomExists reports whether a meeting with this room name (with or without "/") exists.
func (wb *Whereby) RoomExists(name string) bool { return slices.Contains(wb.Rooms(), slashed(name)) }

// Deleted lists the room names of meetings deleted through the API, in order.
func (wb *Whereby) Deleted() []string {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	return slices.Clone(wb.deleted)
}
