// Package webhook is the provider webhook inbox: a delivery is verified over its raw bytes,
// written to webhook_event once per provider event id, acknowledged, and processed later by a
// task. Processing is idempotent by inbox row, so redeliveries, duplicates and replays change
// nothing, and events that arrive out of order never move meeting state backwards.
package webhook

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/recording"
)

// Errors of the inbox; httpapi's error table holds their statuses and client texts.
var (
	// ErrBadSignature: the signature is missing, wrong or stale, or the provider has no
	// webhook secret (or no client) configured. Always a 401, never a 500.
	ErrBadSignature = errors.New("webhook: bad signature")
	// ErrMalformed: the verified body is not a JSON event envelope.
	ErrMalformed = errors.New("webhook: malformed body")
	// ErrEventNotFound: no inbox row has the id.
	ErrEventNotFound = errors.New("webhook: event not found")
	// ErrMeetingNotFound: no meeting runs in the provider room an event names.
	ErrMeetingNotFound = errors.New("webhook: meeting not found")
	// ErrDead: the event used up its attempts and is parked (dead_at set) until replayed;
	// retrying it is pointless.
	ErrDead = errors.New("webhook: event dead-lettered")
)

// Event is one stored delivery (a webhook_event row).
type Event struct {
	ID          int64      `db:"id" json:"id"`
	Provider    string     `db:"provider" json:"provider"`
	EventID     string     `db:"event_id" json:"event_id"`
	Type        string     `db:"event_type" json:"event_type"`
	EventTS     *time.Time `db:"event_ts" json:"event_ts"`
	Body        []byte     `db:"body" json:"-"`
	Headers     Headers    `db:"headers" json:"headers"`
	ReceivedAt  time.Time  `db:"received_at" json:"received_at"`
	ProcessedAt *time.Time `db:"processed_at" json:"processed_at"`
	Attempts    int        `db:"attempts" json:"attempts"`
	LastError   *string    `db:"last_error" json:"last_error"`
	// DeadAt is set when the event used up its attempts: sweeps skip it until a replay.
	DeadAt *time.Time `db:"dead_at" json:"dead_at"`
}

// Headers are the request headers kept with an event (signature, timestamp, content type).
type Headers map[string]string

// Value implements driver.Valuer (jsonb).
func (h Headers) Value() (driver.Value, error) {
	if h == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]string(h))
}

// Scan implements sql.Scanner (jsonb).
func (h *Headers) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*h = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("webhook.Headers: cannot scan %T", src)
	}
	return json.Unmarshal(b, (*map[string]string)(h))
}

// MeetingRef is the part of a meeting webhook effects need.
type MeetingRef struct {
	ID       uuid.UUID `db:"id"`
	IsActive bool      `db:"is_active"`
}

// ListFilter selects inbox rows for `reflectorctl webhooks list`.
type ListFilter struct {
	Unprocessed bool
	Dead        bool // only dead-lettered rows
	Limit       int
}

// Store is the persistence the inbox needs (implemented by store.WebhookStore).
type Store interface {
	InTx(ctx context.Context, fn func(tx Store) error) error
	// WebhookEventInsert stores a delivery unless (provider, event id) is known; inserted is
	// false (and id 0) for a duplicate.
	WebhookEventInsert(ctx context.Context, ev Event) (id int64, inserted bool, err error)
	WebhookEventByID(ctx context.Context, id int64) (Event, error)
	// WebhookEventLock reads a row and locks it until the transaction ends.
	WebhookEventLock(ctx context.Context, id int64) (Event, error)
	// WebhookEventStart counts an attempt before it runs, so a run that crashes its worker
	// counts too. A pending row that already had maxAttempts is dead-lettered instead
	// (dead == true) and must not run.
	WebhookEventStart(ctx context.Context, id int64, maxAttempts int, now time.Time) (dead bool, err error)
	// WebhookEventDone marks a row processed; note is kept as last_error (nil clears it).
	WebhookEventDone(ctx context.Context, id int64, now time.Time, note *string) error
	// WebhookEventFailed records a failed attempt's error, and dead-letters the row when it
	// had maxAttempts (dead == true).
	WebhookEventFailed(ctx context.Context, id int64, msg string, maxAttempts int, now time.Time) (dead bool, err error)
	// WebhookEventReset makes a row unprocessed and alive again with a fresh attempt budget
	// (replay); last_error stays for the record.
	WebhookEventReset(ctx context.Context, id int64) error
	// WebhookEventsUnprocessed lists rows neither processed nor dead.
	WebhookEventsUnprocessed(ctx context.Context, receivedBefore time.Time, limit int) ([]int64, error)
	WebhookEventList(ctx context.Context, f ListFilter) ([]Event, error)
	// MeetingByProviderRoom finds the meeting of a provider room (the active one first,
	// then the latest); providerMeetingID, when set, matches too. ErrMeetingNotFound if none.
	MeetingByProviderRoom(ctx context.Context, platform, roomName, providerMeetingID string) (MeetingRef, error)
	// MeetingSetNumClients applies an absolute participant count observed at `at`, unless a
	// count from a later (or the same) moment is already applied. n > 0 also marks the
	// meeting joined and ends a running grace period.
	MeetingSetNumClients(ctx context.Context, id uuid.UUID, n int, at time.Time) (applied bool, err error)
	// TimelineAppend appends to meeting timelines; inside InTx, in that transaction.
	TimelineAppend(ctx context.Context, evs ...meeting.Event) error
}

// Jobs queue the inbox's follow-up work (implemented by tasks.Jobs).
type Jobs interface {
	ProcessWebhook(ctx context.Context, id int64) error
	ReplayWebhook(ctx context.Context, id int64) error
	PollPresence(ctx context.Context, meetingID uuid.UUID, delay time.Duration) error
}

// Recordings is the recording ingestion the inbox hands recording events to
// (implemented by recording.Service).
type Recordings interface {
	HandleDailyReady(ctx context.Context, ev recording.DailyReady) error
	RecordingStarted(ctx context.Context, platform, roomName string, at time.Time) error
}

// Platforms finds the provider client that verifies a provider's webhooks.
type Platforms interface {
	Get(name string) (platform.Client, error)
}

// Config wires the inbox. Recordings may be nil: recording events are then stored and
// marked processed without effect (Daily's recordings poll still ingests them).
type Config struct {
	Store      Store
	Jobs       Jobs
	Platforms  Platforms
	Recordings Recordings
	Log        *zap.Logger
	Now        func() time.Time
	// PresencePollDelay is the delay of the presence poll a Daily participant event queues;
	// default 0 (the original polls at once). Polls are de-duplicated per meeting.
	PresencePollDelay time.Duration
	// SweepAge is how old an unprocessed row must be before the sweep re-enqueues it; default 30 s.
	SweepAge time.Duration
	// SweepBatch bounds the rows one sweep re-enqueues; default 500.
	SweepBatch int
	// MaxAttempts bounds the runs of one event (WEBHOOK_MAX_ATTEMPTS); after that many failed
	// or unfinished runs it is dead-lettered. Default DefaultMaxAttempts.
	MaxAttempts int
}

// DefaultMaxAttempts is the attempt cap when Config.MaxAttempts is unset.
const DefaultMaxAttempts = 10

// Service is the webhook inbox.
type Service struct{ cfg Config }

// NewService returns the inbox.
func NewService(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SweepAge <= 0 {
		cfg.SweepAge = 30 * time.Second
	}
	if cfg.SweepBatch <= 0 {
		cfg.SweepBatch = 500
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	return &Service{cfg: cfg}
}
