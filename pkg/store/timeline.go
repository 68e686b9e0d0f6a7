package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// TimelineAppend appends events to meeting timelines in one statement, on the adapter's
// handle: inside InTx it commits or rolls back with the change it records.
func (b base) TimelineAppend(ctx context.Context, evs ...meeting.Event) error {
	if len(evs) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(evs))
	ats := make([]string, len(evs))
	kinds, actors, details := make([]string, len(evs)), make([]string, len(evs)), make([]string, len(evs))
	for i, e := range evs {
		ids[i], ats[i], kinds[i], actors[i], details[i] = e.MeetingID, e.At.UTC().Format(time.RFC3339Nano), e.Kind, e.Actor, string(e.Detail)
		if len(e.Detail) == 0 {
			details[i] = "{}"
		}
	}
	_, err := b.q.ExecContext(ctx, `INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
		SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::jsonb[])`,
		pq.Array(ids), pq.Array(ats), pq.Array(kinds), pq.Array(actors), pq.Array(details))
	if err != nil {
		return fmt.Errorf("append timeline: %w", err)
	}
	return nil
}

// Timeline returns a meeting's events, oldest first.
func (s MeetingStore) Timeline(ctx context.Context, id uuid.UUID) ([]meeting.Event, error) {
	var out []meeting.Event
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT id, meeting_id, at, kind, actor, detail
		FROM meeting_event WHERE meeting_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("select timeline: %w", err)
	}
	return out, nil
}
