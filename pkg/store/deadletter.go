package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/lease"
	"github.com/monadical/reflector-go/pkg/recording"
)

// Lease-sweep claims. Each is one conditional statement: it re-checks that the row still
// waits past its lease (so two sweeps, or a sweep racing the work, claim it once), renews the
// lease, and either counts the restart or, when the row had maxRequeues restarts, parks it.

// RecordingRequeue implements recording.Store.
func (s RecordingStore) RecordingRequeue(ctx context.Context, rec recording.Recording, c recording.Claim) (lease.Outcome, error) {
	const done = `(requeues >= $5 OR attempts >= $6)`
	return claim(ctx, s.q, `UPDATE recording SET updated_at = $4,
			requeues = CASE WHEN `+done+` THEN requeues ELSE requeues + 1 END,
			status = CASE WHEN `+done+` THEN 'failed' ELSE status END,
			failed_at = CASE WHEN `+done+` THEN $4 ELSE failed_at END,
			last_error = CASE WHEN `+done+` THEN $7 ELSE last_error END,
			dead_at = CASE WHEN `+done+` THEN $4::timestamptz END
		WHERE id = $1 AND status = $2 AND updated_at < $3 AND dead_at IS NULL
		RETURNING dead_at IS NOT NULL`, rec.ID, rec.Status, c.Before, c.Now, c.MaxRequeues, c.MaxRuns, c.Reason)
}

// TranscriptRequeue implements recording.Store.
func (s RecordingStore) TranscriptRequeue(ctx context.Context, t recording.Transcript, c recording.Claim) (lease.Outcome, error) {
	const done = `requeues >= $5`
	return claim(ctx, s.q, `UPDATE transcript SET updated_at = $4,
			requeues = CASE WHEN `+done+` THEN requeues ELSE requeues + 1 END,
			status = CASE WHEN `+done+` THEN 'error' ELSE status END,
			error = CASE WHEN `+done+` THEN $6 ELSE error END,
			dead_at = CASE WHEN `+done+` THEN $4::timestamptz END
		WHERE id = $1 AND status = $2 AND updated_at < $3 AND dead_at IS NULL
		RETURNING dead_at IS NOT NULL`, t.ID, t.Status, c.Before, c.Now, c.MaxRequeues, c.Reason)
}

// MeetingRoomDeleteRequeue claims the provider room delete of an ended meeting for a restart:
// the first at once, the next once the last restart is older than before. After maxRequeues
// restarts the delete is parked (room_delete_dead_at) and the timeline says so.
func (s MeetingStore) MeetingRoomDeleteRequeue(ctx context.Context, id uuid.UUID, before, now time.Time, maxRequeues int) (lease.Outcome, error) {
	return claim(ctx, s.q, `WITH u AS (
			UPDATE meeting SET room_delete_requeued_at = $3,
				room_delete_requeues = CASE WHEN room_delete_requeues >= $4 THEN room_delete_requeues ELSE room_delete_requeues + 1 END,
				room_delete_dead_at = CASE WHEN room_delete_requeues >= $4 THEN $3::timestamptz END
			WHERE id = $1 AND provider_room_deleted_at IS NULL AND room_delete_dead_at IS NULL
				AND (room_delete_requeued_at IS NULL OR room_delete_requeued_at < $2)
			RETURNING id, room_name, room_delete_requeues, room_delete_dead_at),
		e AS (INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
			SELECT id, $3, 'provider_room_delete_dead', 'process-meetings',
				jsonb_build_object('room_name', room_name, 'restarts', room_delete_requeues)
			FROM u WHERE room_delete_dead_at IS NOT NULL)
		SELECT room_delete_dead_at IS NOT NULL FROM u`, id, before, now, maxRequeues)
}

// claim runs a claim statement returning one boolean (dead) for a claimed row.
func claim(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) (lease.Outcome, error) {
	var dead bool
	err := sqlx.GetContext(ctx, q, &dead, query, args...)
	switch {
	case isNoRows(err):
		return lease.Skip, nil
	case err != nil:
		return lease.Skip, fmt.Errorf("lease claim: %w", err)
	case dead:
		return lease.Dead, nil
	}
	return lease.Restart, nil
}

// deadLetters counts the parked rows of each kind (a room delete that got done after all,
// by a late task retry, is not counted).
func (s OpsStore) deadLetters(ctx context.Context, st *OpsStats) error {
	var n [4]int
	err := s.db.QueryRowxContext(ctx, `SELECT
		(SELECT count(*) FROM webhook_event WHERE dead_at IS NOT NULL),
		(SELECT count(*) FROM recording WHERE dead_at IS NOT NULL),
		(SELECT count(*) FROM transcript WHERE dead_at IS NOT NULL),
		(SELECT count(*) FROM meeting WHERE room_delete_dead_at IS NOT NULL AND provider_room_deleted_at IS NULL)`).
		Scan(&n[0], &n[1], &n[2], &n[3])
	if err != nil {
		return fmt.Errorf("dead letters: %w", err)
	}
	st.DeadLetters = map[string]int{"webhook": n[0], "recording": n[1], "transcript": n[2], "room_delete": n[3]}
	return nil
}
