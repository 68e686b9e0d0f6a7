package platform

import (
	"context"
	"time"
)

// WebhookReader is the capability of a provider that sends webhooks: it reads its own
// deliveries, so the inbox (package webhook) never switches on provider names. Verification
// is Client.VerifyWebhook; these methods see verified bodies only.
type WebhookReader interface {
	// WebhookHeaders names the provider's request headers kept with a delivery.
	WebhookHeaders() []string
	// WebhookHandshake reports whether a body is the provider's reachability check, which is
	// answered 200 and not stored.
	WebhookHandshake(body []byte) bool
	// WebhookEnvelope reads what the inbox stores besides the body. A body that is not a JSON
	// object gives an error wrapping ErrMalformed.
	WebhookEnvelope(body []byte) (WebhookEnvelope, error)
	// WebhookEvent decodes a stored delivery into what it means to the back end. An error
	// (wrapping ErrMalformed) means the payload cannot be read; retrying cannot fix it.
	WebhookEvent(body []byte) (WebhookEvent, error)
}

// WebhookEnvelope is the id, type and provider time of a delivery.
type WebhookEnvelope struct {
	ID   string    // the provider's event id; "" when it has none
	Type string    // "" is refused by the inbox
	At   time.Time // when the provider sent or stamped it; zero when it carries none
}

// WebhookEvent is what a delivery means. Each non-nil field is an effect; none means the
// event is stored only.
type WebhookEvent struct {
	// PresenceChanged: someone joined or left; presence is read from the provider (the
	// event is a hint).
	PresenceChanged *RoomRef
	// Count is the absolute participant count after the event.
	Count *ParticipantCount
	// RecordingStarted: the provider started recording a room.
	RecordingStarted *RecordingStarted
	// RecordingReady: a recording can be downloaded.
	RecordingReady *RecordingReady
	// RecordingStopped: the provider stopped recording a room, finished or on an error; it
	// comes alone or beside RecordingReady or Count.
	RecordingStopped *RecordingStopped
}

// RoomRef names a provider room, and the provider's meeting in it when known.
type RoomRef struct {
	RoomName  string
	MeetingID string
}

// ParticipantCount is a provider room's participant count at a moment.
type ParticipantCount struct {
	Room RoomRef
	N    int
}

// RecordingStarted is a recording that began in a room. At is zero when the event carries
// no time of its own (the inbox then uses the delivery's).
type RecordingStarted struct {
	RoomName string
	At       time.Time
}

// RecordingStopped is a recording that stopped: Daily's recording.ready-to-download (a
// finished recording, At its start plus its duration) or recording.error, Whereby's cloud
// recorder leaving. At is zero when the event carries no time of its own.
type RecordingStopped struct {
	RoomName    string
	RecordingID string // the provider's; "" when the event names none
	At          time.Time
	Error       string // the provider's message when it stopped on an error
}

// RecordingReady is a finished recording the provider stored (Daily's
// recording.ready-to-download).
type RecordingReady struct {
	Type        string // cloud | cloud-audio-only | raw-tracks
	RecordingID string
	RoomName    string
	StartTS     int64 // unix seconds
	Duration    float64
	S3Key       string
	Tracks      []RecordingTrack
}

// RecordingTrack is one file of a raw-tracks recording.
type RecordingTrack struct {
	Type  string
	S3Key string
	Size  int64
}

// WebhookAdmin is the capability of a provider whose webhooks stop after failed deliveries
// and can be re-activated.
type WebhookAdmin interface {
	// WebhookStates lists the provider's webhooks.
	WebhookStates(ctx context.Context) ([]WebhookState, error)
	// ReviveWebhook re-activates a failed webhook.
	ReviveWebhook(ctx context.Context, id string) error
}

// WebhookState is one provider webhook.
type WebhookState struct {
	ID          string
	URL         string
	Failed      bool // the provider stopped delivering to it
	FailedCount int
}
