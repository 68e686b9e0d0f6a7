package whereby

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
)

// The Client reads its own webhooks (a platform capability).
var _ platform.WebhookReader = (*Client)(nil)

// roleRecorder is the role of Whereby's cloud recorder: its joining means recording started.
const roleRecorder = "recorder"

// WebhookHeaders is the signature header kept with a delivery.
func (c *Client) WebhookHeaders() []string { return []string{HeaderSignature} }

// WebhookHandshake: Whereby sends no reachability check.
func (c *Client) WebhookHandshake([]byte) bool { return false }

// WebhookEnvelope reads id, type and createdAt (RFC 3339; ignored when unreadable).
func (c *Client) WebhookEnvelope(body []byte) (platform.WebhookEnvelope, error) {
	var env struct {
		ID        string          `json:"id"`
		Type      string          `json:"type"`
		CreatedAt json.RawMessage `json:"createdAt"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return platform.WebhookEnvelope{}, fmt.Errorf("whereby envelope: %w: %w", platform.ErrMalformed, err)
	}
	out := platform.WebhookEnvelope{ID: env.ID, Type: env.Type}
	var at time.Time
	if json.Unmarshal(env.CreatedAt, &at) == nil && !at.IsZero() {
		out.At = at.UTC()
	}
	return out, nil
}

// WebhookEvent: room.client.joined/left carry the absolute participant count after the
// event (numClients); the cloud recorder joining means recording started, its leaving that
// it stopped. Other events are
// stored only (recordings arrive through S3 notifications).
func (c *Client) WebhookEvent(body []byte) (platform.WebhookEvent, error) {
	ev, err := ParseEvent(body)
	if err != nil {
		return platform.WebhookEvent{}, err
	}
	p, ok := ev.Data.(*ClientPayload)
	if !ok || (ev.Type != EventClientJoined && ev.Type != EventClientLeft) {
		return platform.WebhookEvent{}, nil
	}
	out := platform.WebhookEvent{Count: &platform.ParticipantCount{
		Room: platform.RoomRef{RoomName: p.RoomName, MeetingID: p.MeetingID}, N: p.NumClients}}
	switch {
	case p.RoleName != roleRecorder:
	case ev.Type == EventClientJoined:
		out.RecordingStarted = &platform.RecordingStarted{RoomName: p.RoomName}
	default:
		out.RecordingStopped = &platform.RecordingStopped{RoomName: p.RoomName}
	}
	return out, nil
}
