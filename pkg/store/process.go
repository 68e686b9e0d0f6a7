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

// MeetingsActiveForProcessing lists every active meeting with its room's grace period and
// its live intent count, in one query.
func (s MeetingStore) MeetingsActiveForProcessing(ctx context.Context, now time.Time) ([]meeting.Active, error) {
	var out []meeting.Active
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT m.id, m.room_id, m.kind, m.platform, m.room_name, m.end_date,
		m.ever_joined, m.last_participant_left_at, r.grace_period_minutes,
		(SELECT count(*) FROM join_intent i WHERE i.meeting_id = m.id AND i.expires_at > $1) AS live_intents
		FROM meeting m JOIN room r ON r.id = m.room_id WHERE m.is_active ORDER BY m.id`, now)
	if err != nil {
		return nil, fmt.Errorf("select active meetings: %w", err)
	}
	return out, nil
}

// MeetingsMarkPresent records that participants are present: the meeting was joined, and a
// running grace period is over.
func (s MeetingStore) MeetingsMarkPresent(ctx context.Context, ids []uuid.UUID) error {
	// The timeline row is written by the same statement (meeting_event).
	_, err := s.q.ExecContext(ctx, `WITH u AS (
			UPDATE meeting m SET ever_joined = true, last_participant_left_at = NULL
			FROM (SELECT id, last_participant_left_at AS left_at FROM meeting WHERE id = ANY($1)) o
			WHERE m.id = o.id AND m.is_active AND (NOT m.ever_joined OR m.last_participant_left_at IS NOT NULL)
			RETURNING m.id, o.left_at)
		INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
		SELECT id, now(), CASE WHEN left_at IS NULL THEN 'first_presence' ELSE 'grace_cleared' END, 'process-meetings',
			CASE WHEN left_at IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('grace_started_at', left_at) END FROM u`,
		pq.Array(ids))
	if err != nil {
		return fmt.Errorf("mark present: %w", err)
	}
	return nil
}

// MeetingsStartGrace starts the grace period of meetings everyone left.
func (s MeetingStore) MeetingsStartGrace(ctx context.Context, ids []uuid.UUID, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `WITH u AS (
			UPDATE meeting SET last_participant_left_at = $2
			WHERE id = ANY($1) AND is_active AND last_participant_left_at IS NULL RETURNING id)
		INSERT INTO meeting_event (meeting_id, at, kind, actor) SELECT id, $2, 'grace_started', 'process-meetings' FROM u`,
		pq.Array(ids), now)
	if err != nil {
		return fmt.Errorf("start grace: %w", err)
	}
	return nil
}

// MeetingsEnd applies deactivations (see meeting.ProcessStore). The first statement takes the
// row locks, waiting for joiners holding share locks; the second runs on a fresh snapshot
// (READ COMMITTED), so it sees every intent committed before the locks were granted, and no
// new intent can be written until commit.
func (s MeetingStore) MeetingsEnd(ctx context.Context, ends []meeting.End, now time.Time) ([]meeting.Meeting, error) {
	ids := make([]uuid.UUID, len(ends))
	reasons := make([]string, len(ends))
	forced := make([]bool, len(ends))
	for i, e := range ends {
		ids[i], reasons[i], forced[i] = e.ID, string(e.Reason), e.Forced
	}
	var out []meeting.Meeting
	err := s.inTx(ctx, func(b base) error {
		if _, err := b.q.ExecContext(ctx, `SELECT id FROM meeting WHERE id = ANY($1) AND is_active ORDER BY id FOR UPDATE`, pq.Array(ids)); err != nil {
			return fmt.Errorf("lock meetings: %w", err)
		}
		// The ended rows of the timeline are written by the same statement.
		return sqlx.SelectContext(ctx, b.q, &out, `WITH e AS (
				UPDATE meeting m SET is_active = false, ended_at = $4, ended_reason = v.reason
				FROM unnest($1::uuid[], $2::text[], $3::bool[]) AS v(id, reason, forced)
				WHERE m.id = v.id AND m.is_active AND (v.forced OR NOT EXISTS (
					SELECT 1 FROM join_intent i WHERE i.meeting_id = m.id AND i.expires_at > $4))
				RETURNING `+prefixed("m.", meetingCols)+`, v.forced),
			t AS (INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
				SELECT id, $4, 'ended', CASE ended_reason WHEN 'ended by owner' THEN 'owner'
					WHEN 'ended by operator' THEN 'operator' ELSE 'process-meetings' END, jsonb_build_object('reason', ended_reason, 'forced', forced) FROM e)
			SELECT `+meetingCols+` FROM e`, pq.Array(ids), pq.Array(reasons), pq.Array(forced), now)
	})
	if err != nil {
		return nil, fmt.Errorf("end meetings: %w", err)
	}
	return out, nil
}

// MeetingsRoomDeletePending lists ended meetings whose provider room is not known to be
// deleted, ended between since and olderThan.
func (s MeetingStore) MeetingsRoomDeletePending(ctx context.Context, olderThan, since time.Time) ([]meeting.Meeting, error) {
	var out []meeting.Meeting
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+meetingCols+` FROM meeting
		WHERE NOT is_active AND provider_room_deleted_at IS NULL AND room_delete_dead_at IS NULL
			AND ended_at < $1 AND ended_at > $2 AND room_name <> ''`,
		olderThan, since)
	if err != nil {
		return nil, fmt.Errorf("select pending room deletes: %w", err)
	}
	return out, nil
}

// MeetingRoomDeleted records that a meeting's provider room is gone and returns the meeting's
// room id (uuid.Nil when the meeting itself is gone), for the log line of the delete.
func (s MeetingStore) MeetingRoomDeleted(ctx context.Context, id uuid.UUID, now time.Time) (uuid.UUID, error) {
	var roomID uuid.UUID
	err := sqlx.GetContext(ctx, s.q, &roomID, `WITH u AS (
			UPDATE meeting SET provider_room_deleted_at = $2 WHERE id = $1 AND provider_room_deleted_at IS NULL
			RETURNING id, room_name),
		e AS (INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
			SELECT id, $2, 'provider_room_deleted', 'worker', jsonb_build_object('room_name', room_name) FROM u)
		SELECT room_id FROM meeting WHERE id = $1`, id, now)
	if err != nil && !isNoRows(err) {
		return uuid.Nil, fmt.Errorf("mark room deleted: %w", err)
	}
	return roomID, nil
}

// IntentsPurge deletes intents that expired before the given time.
func (s MeetingStore) IntentsPurge(ctx context.Context, before time.Time) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM join_intent WHERE expires_at < $1`, before); err != nil {
		return fmt.Errorf("purge intents: %w", err)
	}
	return nil
}
