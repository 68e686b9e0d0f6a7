package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// Daily endpoints (ServeMux patterns) for FailNext, SetRateLimit and CallCount.
const (
	DailyCreateRoom       = "POST /rooms"
	DailyListRooms        = "GET /rooms"
	DailyGetRoom          = "GET /rooms/{name}"
	DailyDeleteRoom       = "DELETE /rooms/{name}"
	DailyRoomPresence     = "GET /rooms/{name}/presence"
	DailyPresence         = "GET /presence"
	DailyMeetingTokens    = "POST /meeting-tokens"
	DailyListRecordings   = "GET /recordings"
	DailyGetRecording     = "GET /recordings/{id}"
	DailyRecordingLink    = "GET /recordings/{id}/access-link"
	DailyListWebhooks     = "GET /webhooks"
	DailyGetWebhook       = "GET /webhooks/{uuid}"
	DailyUpdateWebhook    = "POST /webhooks/{uuid}"
	dailyAlreadyExistsFmt = "a room named %s already exists"
)

// DailyOptions configures a Daily emulator. Zero values get the defaults noted.
type DailyOptions struct {
	Domain        string           // room URLs are https://<Domain>.daily.co/<name>; default "emulator"
	APIKey        string           // when set, requests must carry "Bearer <APIKey>"; also signs tokens
	WebhookSecret string           // base64 HMAC key; default 32 random bytes
	Now           func() time.Time // default time.Now
	Latency       time.Duration
	PresenceLag   time.Duration
	HTTPClient    *http.Client // sends webhooks and test pings; default: 5 s timeout
}

// Daily is an in-process Daily REST API. Create it with NewDaily.
type Daily struct {
	core
	domain string
	apiKey string
	key    []byte
	client *http.Client

	mu           sync.Mutex
	rooms        map[string]*dailyRoom
	participants []*participant
	deleted      []string
	recordings   []DailyRecording
	webhooks     []*DailyWebhook
	tokens       []map[string]any
	active       []ActiveRecording
	media        map[string][]byte // recording id -> synthetic file behind its access link
	sends        sync.WaitGroup    // webhook deliveries in flight
}

type dailyRoom struct {
	ID        string
	Name      string
	Privacy   string
	CreatedAt time.Time
	Config    map[string]any
	Exp       int64
}

type participant struct {
	room, id, userID, userName string
	joined                     time.Time
	left                       *time.Time
}

func (p *participant) visibleAt(now time.Time, lag time.Duration) bool {
	return !p.joined.Add(lag).After(now) && (p.left == nil || p.left.Add(lag).After(now))
}

// NewDaily returns a Daily emulator.
func NewDaily(o DailyOptions) *Daily {
	if o.Domain == "" {
		o.Domain = "emulator"
	}
	key, err := base64.StdEncoding.DecodeString(o.WebhookSecret)
	if err != nil || len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	return &Daily{core: newCore(o.Now, o.Latency, o.PresenceLag), domain: o.Domain, apiKey: o.APIKey,
		key: key, client: o.HTTPClient, rooms: map[string]*dailyRoom{}, media: map[string][]byte{}}
}

// Start serves the emulator on a loopback port; url is the API root (use it as BaseURL).
func (d *Daily) Start() (url string, stop func()) { return start(d.Handler()) }

// WebhookSecret is the base64 HMAC key the emulator signs webhooks with.
func (d *Daily) WebhookSecret() string { return base64.StdEncoding.EncodeToString(d.key) }

// Join puts a participant in a room now (presence shows it after the presence lag).
func (d *Daily) Join(roomName, sessionID, userID, userName string) {
	now := d.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.participants = append(d.participants,
		&participant{room: roomName, id: sessionID, userID: userID, userName: userName, joined: now})
}

// Leave takes a participant out of a room now.
func (d *Daily) Leave(roomName, sessionID string) {
	now := d.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range d.participants {
		if p.room == roomName && p.id == sessionID && p.left == nil {
			p.left = &now
		}
	}
}

// Rooms lists the live (created, not deleted, not expired) room names, sorted.
func (d *Daily) Rooms() []string {
	now := d.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	var names []string
	for name, r := range d.rooms {
		if r.live(now) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// RoomExists reports whether a live room has this name.
func (d *Daily) RoomExists(name string) bool { return slices.Contains(d.Rooms(), name) }

// Deleted lists the room names deleted through the API, in order.
func (d *Daily) Deleted() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.deleted)
}

// TokenRequests returns the properties of every POST /meeting-tokens that succeeded.
func (d *Daily) TokenRequests() []map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.tokens)
}

func (r *dailyRoom) live(now time.Time) bool { return r.Exp == 0 || now.Unix() < r.Exp }

// presence returns the visible participants, by room.
func (d *Daily) presence(room string) map[string][]dailyPresence {
	now, lag := d.Now(), d.lag()
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string][]dailyPresence{}
	for _, p := range d.participants {
		if (room == "" || p.room == room) && p.visibleAt(now, lag) {
			out[p.room] = append(out[p.room], dailyPresence{Room: p.room, ID: p.id, UserID: nullable(p.userID),
				UserName: nullable(p.userName), JoinTime: isoMillis(p.joined), Duration: int64(now.Sub(p.joined).Seconds())})
		}
	}
	return out
}

// dailyPresence is one presence entry; Daily's keys are camelCase here.
type dailyPresence struct {
	Room     string  `json:"room"`
	ID       string  `json:"id"`
	UserID   *string `json:"userId"`
	UserName *string `json:"userName"`
	JoinTime string  `json:"joinTime"`
	Duration int64   `json:"duration"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
