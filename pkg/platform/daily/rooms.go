package daily

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// maxRoomName is Daily's room-name limit; keyLen the meeting-key suffix length.
const (
	maxRoomName = 128
	keyLen      = 32
)

// Room is Daily's room object.
type Room struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	APICreated bool           `json:"api_created"`
	Privacy    string         `json:"privacy"`
	URL        string         `json:"url"`
	CreatedAt  time.Time      `json:"created_at"`
	Config     map[string]any `json:"config"` // only properties that differ from defaults
}

type createRoomRequest struct {
	Name       string         `json:"name"`
	Privacy    string         `json:"privacy"`
	Properties roomProperties `json:"properties"`
}

type roomProperties struct {
	Exp               int64             `json:"exp,omitempty"`
	EnableRecording   string            `json:"enable_recording,omitempty"`
	EnableChat        bool              `json:"enable_chat"`
	EnableScreenshare bool              `json:"enable_screenshare"`
	EnableKnocking    bool              `json:"enable_knocking"`
	StartVideoOff     bool              `json:"start_video_off"`
	StartAudioOff     bool              `json:"start_audio_off"`
	RecordingsBucket  *recordingsBucket `json:"recordings_bucket,omitempty"`
}

type recordingsBucket struct {
	BucketName     string `json:"bucket_name"`
	BucketRegion   string `json:"bucket_region"`
	AssumeRoleARN  string `json:"assume_role_arn"`
	AllowAPIAccess bool   `json:"allow_api_access"`
}

// RoomName is the Daily room name of a meeting: the room name reduced to Daily's alphabet
// [A-Za-z0-9_-], a dash, and a 32-hex key of the meeting id (the UUID without dashes, or a
// SHA-256 prefix for other ids), at most 128 chars. Deterministic, so a retried or raced
// create meets Daily's "already exists" and adopts the room.
func RoomName(meetingID, roomName string) string {
	var b strings.Builder
	for _, r := range roomName {
		if r < 128 && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	prefix := b.String()
	if prefix == "" {
		prefix = "room"
	}
	if len(prefix) > maxRoomName-keyLen-1 {
		prefix = prefix[:maxRoomName-keyLen-1]
	}
	return prefix + "-" + meetingKey(meetingID)
}

func meetingKey(id string) string {
	k := strings.ToLower(strings.ReplaceAll(id, "-", ""))
	if _, err := hex.DecodeString(k); err == nil && len(k) == keyLen {
		return k
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])[:keyLen]
}

// CreateMeeting creates the meeting's Daily room, or adopts it when it already exists.
// Private rooms (IsLocked) get knocking; exp is EndDate; recording "local" is enabled on the
// room, "cloud" is started over REST later and only sets the recordings bucket.
func (c *Client) CreateMeeting(ctx context.Context, req platform.CreateRequest) (platform.Meeting, error) {
	name := RoomName(req.MeetingID, req.Room.Name)
	var room Room
	err := c.do(ctx, httpcall.Request{Op: "CreateMeeting", Method: http.MethodPost, Path: "/rooms",
		Body: c.createBody(name, req), Idempotent: true}, &room)
	if isAlreadyExists(err) {
		room, err = c.Room(ctx, name)
	}
	if err != nil {
		return platform.Meeting{}, err
	}
	return platform.Meeting{ProviderID: room.ID, RoomName: room.Name, RoomURL: room.URL, HostRoomURL: room.URL}, nil
}

func (c *Client) createBody(name string, req platform.CreateRequest) createRoomRequest {
	body := createRoomRequest{Name: name, Privacy: "public", Properties: roomProperties{
		EnableChat: true, EnableScreenshare: true, EnableKnocking: req.Room.IsLocked,
	}}
	if req.Room.IsLocked {
		body.Privacy = "private"
	}
	if !req.EndDate.IsZero() {
		body.Properties.Exp = req.EndDate.Unix()
	}
	switch req.Room.RecordingType {
	case "local":
		body.Properties.EnableRecording = "local"
	case "cloud":
		if c.bucket.Name != "" {
			body.Properties.RecordingsBucket = &recordingsBucket{BucketName: c.bucket.Name,
				BucketRegion: c.bucket.Region, AssumeRoleARN: c.bucket.RoleARN, AllowAPIAccess: true}
		}
	}
	return body
}

// isAlreadyExists recognises Daily's duplicate-name answer: 400 invalid-request-error
// "a room named <name> already exists" (measured; Daily has no dedicated type for it).
func isAlreadyExists(err error) bool {
	var pe *platform.Error
	return errors.As(err, &pe) && pe.Status == http.StatusBadRequest &&
		pe.Type == "invalid-request-error" && strings.Contains(pe.Message, "already exists")
}

// Room reads one room (GET /rooms/:name). A missing or expired room is ErrNotFound.
func (c *Client) Room(ctx context.Context, name string) (Room, error) {
	var room Room
	err := c.do(ctx, httpcall.Request{Op: "Room", Method: http.MethodGet, Path: "/rooms/" + seg(name)}, &room)
	return room, err
}

// DeleteRoom deletes a room. A missing (or expired, "deleted": true) room is not an error.
func (c *Client) DeleteRoom(ctx context.Context, roomName string) error {
	err := c.do(ctx, httpcall.Request{Op: "DeleteRoom", Method: http.MethodDelete,
		Path: "/rooms/" + seg(roomName), Limiter: c.deleteLimiter}, nil)
	if errors.Is(err, platform.ErrNotFound) {
		return nil
	}
	return err
}
