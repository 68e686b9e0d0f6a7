package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
)

// MeetingStore implements meeting.Store.
type MeetingStore struct{ base }

// NewMeetingStore returns the meeting adapter on db.
func NewMeetingStore(db *sqlx.DB) MeetingStore { return MeetingStore{newBase(db)} }

// InTx runs fn with a copy of the store bound to one transaction.
func (s MeetingStore) InTx(ctx context.Context, fn func(meeting.Store) error) error {
	return s.inTx(ctx, func(b base) error { return fn(MeetingStore{b}) })
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

// upsertIntent is the intent write shared by every path that hands out a meeting: a repeated
// handout of the same connection refreshes its expiry and never shortens it. It inserts for
// the rows of a CTE m; $1 is left to the enclosing query, and intentArgs fill $2-$6.
const upsertIntent = `INSERT INTO join_intent (meeting_id, connection_id, user_id, state, created_at, updated_at, expires_at)
	SELECT m.id, $2, $3, $6, $4, $4, $5 FROM m %s
	ON CONFLICT (meeting_id, connection_id) DO UPDATE SET updated_at = EXCLUDED.updated_at,
		state = CASE WHEN EXCLUDED.state = 'connected' THEN 'connected' ELSE join_intent.state END,
		expires_at = GREATEST(join_intent.expires_at, EXCLUDED.expires_at),
		user_id = COALESCE(EXCLUDED.user_id, join_intent.user_id)
	RETURNING meeting_id`

// JoinSQL is the statement of MeetingForJoin ($1 room name, then intentArgs, then the
// handout event's kind, actor and detail as $7-$9), for the benchmark that runs it through
// pgbench. The event is written by the same statement: a join is one round trip.
func JoinSQL() string {
	return `WITH r AS (SELECT ` + roomCols + ` FROM room WHERE name = $1),
	m AS (SELECT meeting.* FROM meeting, r WHERE meeting.room_id = r.id AND meeting.is_active
		AND meeting.kind = 'adhoc' AND meeting.end_date > $4 FOR SHARE OF meeting),
	i AS (` + fmt.Sprintf(upsertIntent, "") + `),
	e AS (INSERT INTO meeting_event (meeting_id, at, kind, actor, detail) SELECT m.id, $4, $7, $8, $9::jsonb FROM m)
	SELECT row_to_json(r) AS room, (SELECT row_to_json(m) FROM m) AS meeting, (SELECT count(*) FROM i) AS registered FROM r`
}

// MeetingForJoin is the one-statement handout of get-or-create (see meeting.Store).
func (s MeetingStore) MeetingForJoin(ctx context.Context, roomName string, in meeting.Intent, ev meeting.Event, now time.Time) (room.Room, *meeting.Meeting, error) {
	detail := string(ev.Detail)
	if detail == "" {
		detail = "{}"
	}
	var row joinRow
	err := sqlx.GetContext(ctx, s.q, &row, JoinSQL(), append(intentArgs(roomName, in, now), ev.Kind, ev.Actor, detail)...)
	if err != nil {
		if isNoRows(err) {
			return room.Room{}, nil, room.ErrNotFound
		}
		return room.Room{}, nil, fmt.Errorf("meeting for join: %w", err)
	}
	return row.decode()
}

// MeetingJoinByID registers an intent for a chosen joinable meeting (see meeting.Store).
func (s MeetingStore) MeetingJoinByID(ctx context.Context, roomName string, id uuid.UUID, in meeting.Intent, now time.Time) (room.Room, meeting.Meeting, bool, error) {
	q := `WITH r AS (SELECT ` + roomCols + ` FROM room WHERE name = $1),
	m AS (SELECT meeting.* FROM meeting, r WHERE meeting.room_id = r.id AND meeting.id = $7 FOR SHARE OF meeting),
	i AS (` + fmt.Sprintf(upsertIntent, "WHERE m.is_active AND m.end_date > $4") + `)
	SELECT row_to_json(r) AS room, (SELECT row_to_json(m) FROM m) AS meeting, (SELECT count(*) FROM i) AS registered FROM r`
	var row joinRow
	err := sqlx.GetContext(ctx, s.q, &row, q, append(intentArgs(roomName, in, now), id)...)
	if err != nil {
		if isNoRows(err) {
			return room.Room{}, meeting.Meeting{}, false, room.ErrNotFound
		}
		return room.Room{}, meeting.Meeting{}, false, fmt.Errorf("join meeting: %w", err)
	}
	r, m, err := row.decode()
	if err != nil {
		return r, meeting.Meeting{}, false, err
	}
	if m == nil {
		return r, meeting.Meeting{}, false, meeting.ErrNotFound
	}
	return r, *m, row.Registered > 0, nil
}

// intentArgs are the arguments of a query built on upsertIntent: key is $1.
func intentArgs(key any, in meeting.Intent, now time.Time) []any {
	return []any{key, in.ConnectionID, in.UserID, now, in.ExpiresAt, in.State}
}

type joinRow struct {
	Room       []byte `db:"room"`
	Meeting    []byte `db:"meeting"`
	Registered int    `db:"registered"`
}

func (j joinRow) decode() (room.Room, *meeting.Meeting, error) {
	var r room.Room
	if err := json.Unmarshal(j.Room, &r); err != nil {
		return r, nil, fmt.Errorf("decode room: %w", err)
	}
	if j.Meeting == nil {
		return r, nil, nil
	}
	var m meeting.Meeting
	if err := json.Unmarshal(j.Meeting, &m); err != nil {
		return r, nil, fmt.Errorf("decode meeting: %w", err)
	}
	return r, &m, nil
}

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
	q := `WITH m AS (SELECT $1::uuid AS id) ` + fmt.Sprintf(upsertIntent, "")
	_, err := s.q.ExecContext(ctx, q, intentArgs(in.MeetingID, in, in.UpdatedAt)...)
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
