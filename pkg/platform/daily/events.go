package daily

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
)

// Webhook event types the back end handles.
const (
	EventMeetingStarted    = "meeting.started"
	EventMeetingEnded      = "meeting.ended"
	EventParticipantJoined = "participant.joined"
	EventParticipantLeft   = "participant.left"
	EventRecordingStarted  = "recording.started"
	EventRecordingReady    = "recording.ready-to-download"
	EventRecordingError    = "recording.error"
	handshakeBody          = `{"test":"test"}`
)

// Event is a Daily webhook envelope. Payload holds the typed payload of a known type
// (*ParticipantPayload, *MeetingPayload, *RecordingStartedPayload, *RecordingReadyPayload,
// *RecordingErrorPayload) and is nil for other types; RawPayload always holds the bytes.
type Event struct {
	Version    string          `json:"version"`
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	RawPayload json.RawMessage `json:"payload"`
	EventTS    float64         `json:"event_ts"` // when the webhook was sent, unix seconds
	Payload    any             `json:"-"`
}

// ParticipantPayload is the payload of participant.joined and participant.left.
type ParticipantPayload struct {
	Room        string   `json:"room"`
	RoomName    string   `json:"room_name"` // older spelling; ParseEvent copies it to Room
	SessionID   string   `json:"session_id"`
	UserID      string   `json:"user_id"`
	UserName    string   `json:"user_name"`
	JoinedAt    float64  `json:"joined_at"`
	WillEjectAt *float64 `json:"will_eject_at"`
	Owner       bool     `json:"owner"`
	Duration    *float64 `json:"duration,omitempty"` // participant.left only, seconds
}

// MeetingPayload is the payload of meeting.started and meeting.ended.
type MeetingPayload struct {
	StartTS   float64  `json:"start_ts"`
	EndTS     *float64 `json:"end_ts,omitempty"`
	MeetingID string   `json:"meeting_id"` // the meeting-session id (mtgSessionId)
	Room      string   `json:"room"`
}

// RecordingStartedPayload is the payload of recording.started (room_name is not documented).
type RecordingStartedPayload struct {
	Action      string  `json:"action"`
	RecordingID string  `json:"recording_id"`
	RoomName    string  `json:"room_name,omitempty"`
	StartedBy   string  `json:"started_by"`
	InstanceID  string  `json:"instance_id"`
	StartTS     float64 `json:"start_ts"`
}

// RecordingReadyPayload is the payload of recording.ready-to-download. Note s3_key here
// (snake case) but s3Key inside tracks.
type RecordingReadyPayload struct {
	Type            string  `json:"type"` // cloud | cloud-audio-only | raw-tracks
	RecordingID     string  `json:"recording_id"`
	RoomName        string  `json:"room_name"`
	StartTS         float64 `json:"start_ts"`
	Status          string  `json:"status"`
	MaxParticipants *int    `json:"max_participants,omitempty"`
	Duration        float64 `json:"duration"`
	ShareToken      string  `json:"share_token,omitempty"`
	S3Key           string  `json:"s3_key"`
	Tracks          []Track `json:"tracks,omitempty"`
}

// RecordingErrorPayload is the payload of recording.error.
type RecordingErrorPayload struct {
	Action     string  `json:"action"` // "clourd-recording-err" (sic, docs) or "cloud-recording-error"
	ErrorMsg   string  `json:"error_msg"`
	InstanceID string  `json:"instance_id"`
	RoomName   string  `json:"room_name"`
	Timestamp  float64 `json:"timestamp"`
}

// Time converts Daily's float unix seconds to a time.
func Time(ts float64) time.Time {
	return time.UnixMilli(int64(ts * 1000))
}

// IsHandshake reports whether body is Daily's {"test":"test"} webhook check, which carries
// no envelope and must be answered 200.
func IsHandshake(body []byte) bool {
	return bytes.Equal(bytes.TrimSpace(body), []byte(handshakeBody))
}

// ParseEvent decodes a webhook body. Unknown types give a generic Event (Payload nil);
// malformed JSON or a missing type gives an error wrapping platform.ErrMalformed.
func ParseEvent(body []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return Event{}, fmt.Errorf("daily.ParseEvent: %w: %w", platform.ErrMalformed, err)
	}
	if ev.Type == "" {
		return Event{}, fmt.Errorf("daily.ParseEvent: no event type: %w", platform.ErrMalformed)
	}
	p := newPayload(ev.Type)
	if p == nil || len(ev.RawPayload) == 0 {
		return ev, nil
	}
	if err := json.Unmarshal(ev.RawPayload, p); err != nil {
		return Event{}, fmt.Errorf("daily.ParseEvent %s payload: %w: %w", ev.Type, platform.ErrMalformed, err)
	}
	if pp, ok := p.(*ParticipantPayload); ok && pp.Room == "" {
		pp.Room = pp.RoomName
	}
	ev.Payload = p
	return ev, nil
}

func newPayload(typ string) any {
	switch typ {
	case EventParticipantJoined, EventParticipantLeft:
		return &ParticipantPayload{}
	case EventMeetingStarted, EventMeetingEnded:
		return &MeetingPayload{}
	case EventRecordingStarted:
		return &RecordingStartedPayload{}
	case EventRecordingReady:
		return &RecordingReadyPayload{}
	case EventRecordingError:
		return &RecordingErrorPayload{}
	}
	return nil
}
