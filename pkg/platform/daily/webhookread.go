package daily

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	"github.com/monadical/reflector-go/pkg/platform"
)

// The Client reads its own webhooks and re-activates failed ones (platform capabilities).
var (
	_ platform.WebhookReader = (*Client)(nil)
	_ platform.WebhookAdmin  = (*Client)(nil)
)

// WebhookHeaders are the signature headers kept with a delivery.
func (c *Client) WebhookHeaders() []string { return []string{HeaderSignature, HeaderTimestamp} }

// WebhookHandshake is Daily's {"test":"test"} check.
func (c *Client) WebhookHandshake(body []byte) bool { return IsHandshake(body) }

// WebhookEnvelope reads id, type and event_ts (float unix seconds; ignored unless positive).
func (c *Client) WebhookEnvelope(body []byte) (platform.WebhookEnvelope, error) {
	var env struct {
		ID      string          `json:"id"`
		Type    string          `json:"type"`
		EventTS json.RawMessage `json:"event_ts"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return platform.WebhookEnvelope{}, fmt.Errorf("daily envelope: %w: %w", platform.ErrMalformed, err)
	}
	out := platform.WebhookEnvelope{ID: env.ID, Type: env.Type}
	var ts float64
	if json.Unmarshal(env.EventTS, &ts) == nil && ts > 0 {
		out.At = Time(ts).UTC()
	}
	return out, nil
}

// WebhookEvent: participant events ask for a presence read of the room, recording events
// start or hand over a recording; other types are stored only.
func (c *Client) WebhookEvent(body []byte) (platform.WebhookEvent, error) {
	ev, err := ParseEvent(body)
	if err != nil {
		return platform.WebhookEvent{}, err
	}
	switch p := ev.Payload.(type) {
	case *ParticipantPayload:
		return platform.WebhookEvent{PresenceChanged: &platform.RoomRef{RoomName: p.Room}}, nil
	case *RecordingReadyPayload:
		return platform.WebhookEvent{RecordingReady: readyOf(p), RecordingStopped: &platform.RecordingStopped{
			RoomName: p.RoomName, RecordingID: p.RecordingID, At: Time(p.StartTS + p.Duration)}}, nil
	case *RecordingErrorPayload:
		return platform.WebhookEvent{RecordingStopped: &platform.RecordingStopped{
			RoomName: p.RoomName, At: Time(p.Timestamp), Error: errorText(p)}}, nil
	case *RecordingStartedPayload:
		return platform.WebhookEvent{RecordingStarted: &platform.RecordingStarted{RoomName: p.RoomName, At: Time(p.StartTS)}}, nil
	}
	return platform.WebhookEvent{}, nil
}

// errorText is a recording error's message, or its action when it has none.
func errorText(p *RecordingErrorPayload) string {
	return cmp.Or(p.ErrorMsg, p.Action, "recording error")
}

func readyOf(p *RecordingReadyPayload) *platform.RecordingReady {
	r := &platform.RecordingReady{Type: p.Type, RecordingID: p.RecordingID, RoomName: p.RoomName,
		StartTS: int64(p.StartTS), Duration: p.Duration, S3Key: p.S3Key}
	for _, t := range p.Tracks {
		r.Tracks = append(r.Tracks, platform.RecordingTrack{Type: t.Type, S3Key: t.S3Key, Size: t.Size})
	}
	return r
}

// stateFailed is the state Daily puts a webhook in after repeated failed deliveries; it then
// stops sending until the webhook is updated.
const stateFailed = "FAILED"

// WebhookStates lists the domain's webhooks.
func (c *Client) WebhookStates(ctx context.Context) ([]platform.WebhookState, error) {
	hooks, err := c.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]platform.WebhookState, len(hooks))
	for i, w := range hooks {
		out[i] = platform.WebhookState{ID: w.UUID, URL: w.URL, Failed: w.State == stateFailed, FailedCount: w.FailedCount}
	}
	return out, nil
}

// ReviveWebhook is ReactivateWebhook.
func (c *Client) ReviveWebhook(ctx context.Context, id string) error {
	_, err := c.ReactivateWebhook(ctx, id)
	return err
}
