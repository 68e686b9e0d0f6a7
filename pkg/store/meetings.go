package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
)

// MeetingStore implements meeting.Store.
type MeetingStore struct {
	base
	// batches coalesces concurrent join handouts of a room and admits them to the pool in
	// arrival order (nil inside a transaction).
	batches *joinBatches
}

// NewMeetingStore returns the meeting adapter on db.
func NewMeetingStore(db *sqlx.DB) MeetingStore {
	s := MeetingStore{base: newBase(db)}
	s.batches = newJoinBatches(newTurns(db.Stats().MaxOpenConnections), s.joinBatch)
	return s
}

// InTx runs fn with a copy of the store bound to one transaction.
func (s MeetingStore) InTx(ctx context.Context, fn func(meeting.Store) error) error {
	return conflictErr(s.inTx(ctx, func(b base) error { return fn(MeetingStore{base: b}) }))
}

const meetingCols = `id, room_id, kind, platform, provider_meeting_id, room_name, room_url, host_room_url,
	start_date, end_date, is_locked, room_mode, recording_type, recording_trigger, num_clients, is_active,
	calendar_event_id, calendar_metadata, daily_composed_video_s3_key, daily_composed_video_duration,
	last_participant_left_at, ever_joined, ended_at, ended_reason, created_at, adhoc_seq`

// meetingInsert inserts a meeting.Meeting (named parameters of meetingCols).
const meetingInsert = `INSERT INTO meeting (` + meetingCols + `) VALUES (:id, :room_id,
	:kind, :platform, :provider_meeting_id, :room_name, :room_url, :host_room_url, :start_date, :end_date,
	:is_locked, :room_mode, :recording_type, :recording_trigger, :num_clients, :is_active,
	:calendar_event_id, :calendar_metadata, :daily_composed_video_s3_key, :daily_composed_video_duration,
	:last_participant_left_at, :ever_joined, :ended_at, :ended_reason, :created_at, :adhoc_seq)`

// RoomLockByName returns the room and holds its row lock until the transaction ends.
func (s MeetingStore) RoomLockByName(ctx context.Context, name string) (room.Room, error) {
	return roomGet(ctx, s.q, `SELECT `+roomCols+` FROM room WHERE name = $1 FOR UPDATE`, name)
}

// RoomByName returns a room or room.ErrNotFound.
func (s MeetingStore) RoomByName(ctx context.Context, name string) (room.Room, error) {
	return roomGet(ctx, s.q, `SELECT `+roomCols+` FROM room WHERE name = $1`, name)
}

// MeetingActiveAdhoc returns the room's active ad-hoc meeting (joinable or past its end), or nil.
func (s MeetingStore) MeetingActiveAdhoc(ctx context.Context, roomID uuid.UUID) (*meeting.Meeting, error) {
	var m meeting.Meeting
	err := sqlx.GetContext(ctx, s.q, &m, `SELECT `+meetingCols+` FROM meeting
		WHERE room_id = $1 AND is_active AND kind = 'adhoc'`, roomID)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("select active meeting: %w", err)
	}
	return &m, nil
}

// MeetingInsert inserts a meeting. A second active ad-hoc meeting of a room, or a second
// meeting of one ad-hoc ordinal, is refused by the unique indexes and reported as
// meeting.ErrAdhocAlreadyExist.
func (s MeetingStore) MeetingInsert(ctx context.Context, m meeting.Meeting) error {
	_, err := sqlx.NamedExecContext(ctx, s.q, meetingInsert, m)
	if pgCode(err) == pgUniqueViolation {
		switch constraint(err) {
		case "uq_meeting_one_active_adhoc", "uq_meeting_adhoc_seq", "meeting_pkey":
			return meeting.ErrAdhocAlreadyExist
		}
	}
	if err != nil {
		return fmt.Errorf("insert meeting: %w", err)
	}
	return nil
}

// MeetingAdhocNextSeq returns the ordinal the room's next ad-hoc meeting takes, and whether
// the room has a joinable ad-hoc meeting at now, from one snapshot.
func (s MeetingStore) MeetingAdhocNextSeq(ctx context.Context, roomID uuid.UUID, now time.Time) (int64, bool, error) {
	var row struct {
		Next     int64 `db:"next"`
		Joinable bool  `db:"joinable"`
	}
	err := sqlx.GetContext(ctx, s.q, &row, `SELECT
		(SELECT COALESCE(max(adhoc_seq), 0) + 1 FROM meeting WHERE room_id = $1 AND adhoc_seq IS NOT NULL) AS next,
		EXISTS (SELECT 1 FROM meeting WHERE room_id = $1 AND is_active AND kind = 'adhoc' AND end_date > $2) AS joinable`,
		roomID, now)
	if err != nil {
		return 0, false, fmt.Errorf("next ad-hoc seq: %w", err)
	}
	return row.Next, row.Joinable, nil
}

// MeetingByID returns a meeting or meeting.ErrNotFound.
func (s MeetingStore) MeetingByID(ctx context.Context, id uuid.UUID) (meeting.Meeting, error) {
	var m meeting.Meeting
	err := sqlx.GetContext(ctx, s.q, &m, `SELECT `+meetingCols+` FROM meeting WHERE id = $1`, id)
	if isNoRows(err) {
		return m, meeting.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("select meeting: %w", err)
	}
	return m, nil
}

// MeetingsActiveForRoom lists a room's joinable meetings, latest end first.
func (s MeetingStore) MeetingsActiveForRoom(ctx context.Context, roomID uuid.UUID, now time.Time) ([]meeting.Meeting, error) {
	var ms []meeting.Meeting
	err := sqlx.SelectContext(ctx, s.q, &ms, `SELECT `+meetingCols+` FROM meeting
		WHERE room_id = $1 AND is_active AND end_date > $2 ORDER BY end_date DESC, created_at DESC`, roomID, now)
	if err != nil {
		return nil, fmt.Errorf("select active meetings: %w", err)
	}
	return ms, nil
}

// MeetingEnd deactivates a meeting if it is still active; false when it already was not.
func (s MeetingStore) MeetingEnd(ctx context.Context, id uuid.UUID, reason meeting.EndReason, now time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE meeting SET is_active = false, ended_at = $2, ended_reason = $3
		WHERE id = $1 AND is_active`, id, now, string(reason))
	if err != nil {
		return false, fmt.Errorf("end meeting: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// IntentUpsert registers or refreshes a joining intent.
func (s MeetingStore) IntentUpsert(ctx context.Context, in meeting.Intent) error {
	_, err := s.q.ExecContext(ctx, intentUpsertSQL, intentArgs(in.MeetingID, in, in.UpdatedAt)...)
	if err != nil {
		return fmt.Errorf("upsert intent: %w", err)
	}
	return nil
}

// ConsentUpsert records consent: a user's answer replaces their earlier one; anonymous
// answers are each kept.
func (s MeetingStore) ConsentUpsert(ctx context.Context, meetingID uuid.UUID, userID string, given bool, now time.Time) (uuid.UUID, error) {
	var uid *string
	if userID != "" {
		uid = &userID
	}
	var id uuid.UUID
	err := sqlx.GetContext(ctx, s.q, &id, `INSERT INTO meeting_consent (id, meeting_id, user_id, consent_given, consent_timestamp)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (meeting_id, user_id) WHERE user_id IS NOT NULL
		DO UPDATE SET consent_given = EXCLUDED.consent_given, consent_timestamp = EXCLUDED.consent_timestamp
		RETURNING id`, uuid.New(), meetingID, uid, given, now)
	if err != nil {
		return uuid.Nil, fmt.Errorf("upsert consent: %w", err)
	}
	return id, nil
}
