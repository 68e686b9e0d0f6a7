package whereby

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
)

// Webhook event types the back end handles.
const (
	EventClientJoined      = "room.client.joined"
	EventClientLeft        = "room.client.left"
	EventClientKnocked     = "room.client.knocked"
	EventKnockCancelled    = "room.client.knockCancelled"
	EventSessionStarted    = "room.session.started"
	EventSessionEnded      = "room.session.ended"
	EventRecordingFinished = "recording.finished"
)

// Event is a Whereby webhook envelope. Data holds *ClientPayload, *SessionPayload or
// *RecordingFinishedPayload for known types and is nil otherwise; RawData always holds
// the bytes.
type Event struct {
	ID         string          `json:"id"`
	APIVersion string          `json:"apiVersion"`
	CreatedAt  time.Time       `json:"createdAt"`
	Type       string          `json:"type"`
	RawData    json.RawMessage `json:"data"`
	Data       any             `json:"-"`
}

// ClientPayload is the data of room.client.* events. NumClients is the count after the event.
type ClientPayload struct {
	MeetingID            string         `json:"meetingId"`
	RoomName             string         `json:"roomName"` // with a leading "/"
	Subdomain            string         `json:"subdomain"`
	RoomSessionID        string         `json:"roomSessionId,omitempty"`
	ParticipantID        string         `json:"participantId,omitempty"`
	DisplayName          string         `json:"displayName,omitempty"`
	RoleName             string         `json:"roleName,omitempty"` // recorder for cloud recordings
	NumClients           int            `json:"numClients"`
	NumClientsByRoleName map[string]int `json:"numClientsByRoleName,omitempty"`
	IsDialIn             bool           `json:"isDialIn,omitempty"`
	Metadata             string         `json:"metadata,omitempty"`
	ExternalID           string         `json:"externalId,omitempty"`
}

// SessionPayload is the data of room.session.started and room.session.ended.
type SessionPayload struct {
	MeetingID     string `json:"meetingId"`
	RoomName      string `json:"roomName"`
	Subdomain     string `json:"subdomain"`
	RoomSessionID string `json:"roomSessionId,omitempty"`
}

// RecordingFinishedPayload is the data of recording.finished.
type RecordingFinishedPayload struct {
	Filename    string `json:"filename"`
	RecordingID string `json:"recordingId"`
	RoomName    string `json:"roomName"`
	Status      string `json:"status"`
}

// ParseEvent decodes a webhook body. Unknown types give a generic Event (Data nil);
// malformed JSON or a missing type gives an error wrapping platform.ErrMalformed.
func ParseEvent(body []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return Event{}, fmt.Errorf("whereby.ParseEvent: %w: %w", platform.ErrMalformed, err)
	}
	if ev.Type == "" {
		return Event{}, fmt.Errorf("whereby.ParseEvent: no event type: %w", platform.ErrMalformed)
	}
	d := newData(ev.Type)
	if d == nil || len(ev.RawData) == 0 {
		return ev, nil
	}
	if err := json.Unmarshal(ev.RawData, d); err != nil {
		return Event{}, fmt.Errorf("whereby.ParseEvent %s data: %w: %w", ev.Type, platform.ErrMalformed, err)
	}
	ev.Data = d
	return ev, nil
}

func newData(typ string) any {
	switch typ {
	case EventClientJoined, EventClientLeft, EventClientKnocked, EventKnockCancelled:
		return &ClientPayload{}
	case EventSessionStarted, EventSessionEnded:
		return &SessionPayload{}
	case EventRecordingFinished:
		return &RecordingFinishedPayload{}
	}
	return nil
}
