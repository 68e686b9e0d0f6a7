package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/redact"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// WebhookStore implements webhook.Store: the inbox rows and the meeting updates webhooks make.
type WebhookStore struct{ base }

var _ webhook.Store = WebhookStore{}

// NewWebhookStore returns the webhook adapter on db.
func NewWebhookStore(db *sqlx.DB) WebhookStore { return WebhookStore{newBase(db)} }

// InTx runs fn with a copy of the store bound to one transaction.
func (s WebhookStore) InTx(ctx context.Context, fn func(webhook.Store) error) error {
	return s.inTx(ctx, func(b base) error { return fn(WebhookStore{b}) })
}

const webhookEventCols = `id, provider, event_id, event_type, event_ts, body, headers, received_at,
	processed_at, attempts, last_error, dead_at`

// WebhookEventInsert stores a delivery once per (provider, event id); a duplicate inserts
// nothing and returns inserted == false.
func (s WebhookStore) WebhookEventInsert(ctx context.Context, ev webhook.Event) (int64, bool, error) {
	var id int64
	err := sqlx.GetContext(ctx, s.q, &id, `INSERT INTO webhook_event (provider, event_id, event_type, event_ts, body, headers, received_at)
		VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now())) ON CONFLICT (provider, event_id) DO NOTHING RETURNING id`,
		ev.Provider, ev.EventID, ev.Type, ev.EventTS, ev.Body, ev.Headers, receivedAt(ev.ReceivedAt))
	if isNoRows(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("insert webhook event: %w", err)
	}
	return id, true, nil
}

// WebhookEventByID reads one row.
func (s WebhookStore) WebhookEventByID(ctx context.Context, id int64) (webhook.Event, error) {
	return s.webhookEvent(ctx, `SELECT `+webhookEventCols+` FROM webhook_event WHERE id = $1`, id)
}

// WebhookEventLock reads one row and locks it until the transaction ends.
func (s WebhookStore) WebhookEventLock(ctx context.Context, id int64) (webhook.Event, error) {
	return s.webhookEvent(ctx, `SELECT `+webhookEventCols+` FROM webhook_event WHERE id = $1 FOR UPDATE`, id)
}

func (s WebhookStore) webhookEvent(ctx context.Context, q string, id int64) (webhook.Event, error) {
	var ev webhook.Event
	err := sqlx.GetContext(ctx, s.q, &ev, q, id)
	if isNoRows(err) {
		return webhook.Event{}, webhook.ErrEventNotFound
	}
	if err != nil {
		return webhook.Event{}, fmt.Errorf("select webhook event %d: %w", id, err)
	}
	return ev, nil
}

// WebhookEventStart counts a run before it starts, or dead-letters a pending row that already
// had maxAttempts runs (its runs never finished: they crashed or timed out).
func (s WebhookStore) WebhookEventStart(ctx context.Context, id int64, maxAttempts int, now time.Time) (bool, error) {
	var dead bool
	err := sqlx.GetContext(ctx, s.q, &dead, `UPDATE webhook_event SET
			dead_at = CASE WHEN attempts >= $2 THEN $3::timestamptz END,
			attempts = CASE WHEN attempts >= $2 THEN attempts ELSE attempts + 1 END
		WHERE id = $1 AND processed_at IS NULL AND dead_at IS NULL RETURNING dead_at IS NOT NULL`, id, maxAttempts, now)
	if err != nil && !isNoRows(err) { // no row: done or buried meanwhile; the run's lock sees it
		return false, fmt.Errorf("start webhook event %d: %w", id, err)
	}
	return dead, nil
}

// WebhookEventDone marks a row processed; note (nil clears it) is kept as last_error.
func (s WebhookStore) WebhookEventDone(ctx context.Context, id int64, now time.Time, note *string) error {
	_, err := s.q.ExecContext(ctx, `UPDATE webhook_event SET processed_at = $2, last_error = $3
		WHERE id = $1`, id, now, redact.Ptr(note))
	if err != nil {
		return fmt.Errorf("mark webhook event %d processed: %w", id, err)
	}
	return nil
}

// WebhookEventFailed records a failed run's error and dead-letters the row once it had
// maxAttempts runs.
func (s WebhookStore) WebhookEventFailed(ctx context.Context, id int64, msg string, maxAttempts int, now time.Time) (bool, error) {
	var dead bool
	err := sqlx.GetContext(ctx, s.q, &dead, `UPDATE webhook_event SET last_error = $2,
			dead_at = CASE WHEN attempts >= $3 AND processed_at IS NULL THEN COALESCE(dead_at, $4::timestamptz) ELSE dead_at END
		WHERE id = $1 RETURNING dead_at IS NOT NULL`, id, redact.Text(msg), maxAttempts, now)
	if err != nil && !isNoRows(err) {
		return false, fmt.Errorf("record webhook event %d failure: %w", id, err)
	}
	return dead, nil
}

// WebhookEventReset makes a row unprocessed and alive again with a fresh attempt budget, for a
// replay.
func (s WebhookStore) WebhookEventReset(ctx context.Context, id int64) error {
	res, err := s.q.ExecContext(ctx, `UPDATE webhook_event SET processed_at = NULL, dead_at = NULL, attempts = 0
		WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("reset webhook event %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return webhook.ErrEventNotFound
	}
	return nil
}

// WebhookEventsUnprocessed lists rows neither processed nor dead received at or before a
// moment, oldest first.
func (s WebhookStore) WebhookEventsUnprocessed(ctx context.Context, receivedBefore time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, s.q, &ids, `SELECT id FROM webhook_event
		WHERE processed_at IS NULL AND dead_at IS NULL AND received_at <= $1 ORDER BY received_at LIMIT $2`, receivedBefore, limit)
	if err != nil {
		return nil, fmt.Errorf("select unprocessed webhook events: %w", err)
	}
	return ids, nil
}

// WebhookEventList lists rows, newest first.
func (s WebhookStore) WebhookEventList(ctx context.Context, f webhook.ListFilter) ([]webhook.Event, error) {
	var out []webhook.Event
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+webhookEventCols+` FROM webhook_event
		WHERE (NOT $1 OR processed_at IS NULL) AND (NOT $3 OR dead_at IS NOT NULL) ORDER BY id DESC LIMIT $2`,
		f.Unprocessed, f.Limit, f.Dead)
	if err != nil {
		return nil, fmt.Errorf("list webhook events: %w", err)
	}
	return out, nil
}

// MeetingByProviderRoom finds the meeting of a provider room: the active one first, then the
// latest by end date (as the original's get_by_room_name).
func (s WebhookStore) MeetingByProviderRoom(ctx context.Context, platform, roomName, providerMeetingID string) (webhook.MeetingRef, error) {
	var m webhook.MeetingRef
	err := sqlx.GetContext(ctx, s.q, &m, `SELECT id, is_active FROM meeting
		WHERE platform = $1 AND (room_name = $2 OR ($3 <> '' AND provider_meeting_id = $3))
		ORDER BY is_active DESC, end_date DESC LIMIT 1`, platform, roomName, providerMeetingID)
	if isNoRows(err) {
		return webhook.MeetingRef{}, webhook.ErrMeetingNotFound
	}
	if err != nil {
		return webhook.MeetingRef{}, fmt.Errorf("select meeting of room %q: %w", roomName, err)
	}
	return m, nil
}

// MeetingSetNumClients applies an absolute count observed at `at`, unless a count observed
// at or after `at` is already applied. One conditional statement: concurrent events for one
// meeting are serialised by the row lock and re-checked, so the count never moves backwards.
// A count above zero also marks the meeting joined and ends a running grace period (as
// MeetingsMarkPresent does).
func (s WebhookStore) MeetingSetNumClients(ctx context.Context, id uuid.UUID, n int, at time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE meeting SET num_clients = $2, num_clients_event_at = $3,
		ever_joined = ever_joined OR $2 > 0,
		last_participant_left_at = CASE WHEN $2 > 0 AND is_active THEN NULL ELSE last_participant_left_at END
		WHERE id = $1 AND (num_clients_event_at IS NULL OR num_clients_event_at < $3)`, id, n, at)
	if err != nil {
		return false, fmt.Errorf("set num_clients of meeting %s: %w", id, err)
	}
	applied, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("set num_clients of meeting %s: %w", id, err)
	}
	return applied > 0, nil
}

// receivedAt is nil for the zero time, so the column default applies.
func receivedAt(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
