package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx/reflectx"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
)

// The intent write shared by every path that hands out a meeting: it inserts for the rows of
// a CTE m (upsertIntentHead, an optional WHERE, upsertIntentTail). A repeated handout of the
// same connection refreshes its expiry and never shortens it. $1 is left to the enclosing
// query, and intentArgs fill $2-$6.
const (
	upsertIntentHead = `INSERT INTO join_intent (meeting_id, connection_id, user_id, state, created_at, updated_at, expires_at)
	SELECT m.id, $2, $3, $6, $4, $4, $5 FROM m`
	upsertIntentTail = `
	ON CONFLICT (meeting_id, connection_id) DO UPDATE SET updated_at = EXCLUDED.updated_at,
		state = CASE WHEN EXCLUDED.state = 'connected' THEN 'connected' ELSE join_intent.state END,
		expires_at = GREATEST(join_intent.expires_at, EXCLUDED.expires_at),
		user_id = COALESCE(EXCLUDED.user_id, join_intent.user_id)
	RETURNING meeting_id`
	intentUpsertSQL = `WITH m AS (SELECT $1::uuid AS id) ` + upsertIntentHead + upsertIntentTail
)

// The join handouts answer the room's columns (roomCols, as r.*) then the meeting's
// (meetingCols, as m.*) as plain columns that scanJoin reads positionally: no JSON to build
// in Postgres nor to decode here. A room without a matching meeting answers no row.
const (
	joinRoom = `WITH r AS (SELECT ` + roomCols + ` FROM room WHERE name = $1),
	m AS (SELECT ` + meetingCols + ` FROM meeting WHERE room_id = (SELECT id FROM r) AND `
	// joinSQL is MeetingForJoin's statement: $1 room name, then intentArgs, then the handout
	// event's kind, actor and detail as $7-$9. The event is written by the same statement: a
	// join is one round trip.
	joinSQL = joinRoom + `is_active AND kind = 'adhoc' AND end_date > $4 FOR SHARE),
	i AS (` + upsertIntentHead + upsertIntentTail + `),
	e AS (INSERT INTO meeting_event (meeting_id, at, kind, actor, detail) SELECT m.id, $4, $7, $8, $9::jsonb FROM m)
	SELECT r.*, m.* FROM r, m`
	// joinByIDSQL is MeetingJoinByID's: the meeting $7, with an intent only if it is joinable.
	joinByIDSQL = joinRoom + `id = $7 FOR SHARE),
	i AS (` + upsertIntentHead + ` WHERE m.is_active AND m.end_date > $4` + upsertIntentTail + `)
	SELECT r.*, m.*, (SELECT count(*) FROM i) AS registered FROM r, m`
)

// JoinSQL is the statement of MeetingForJoin, for the benchmark that runs it through pgbench.
func JoinSQL() string { return joinSQL }

// MeetingForJoin is the one-statement handout of get-or-create (see meeting.Store).
func (s MeetingStore) MeetingForJoin(ctx context.Context, roomName string, in meeting.Intent, ev meeting.Event, now time.Time) (room.Room, *meeting.Meeting, error) {
	detail := string(ev.Detail)
	if detail == "" {
		detail = "{}"
	}
	release, err := s.joins.wait(ctx)
	if err != nil {
		return room.Room{}, nil, fmt.Errorf("meeting for join: %w", err)
	}
	defer release()
	var (
		r room.Room
		m meeting.Meeting
	)
	err = s.joinRow(ctx, joinSQL, append(intentArgs(roomName, in, now), ev.Kind, ev.Actor, detail), &r, &m)
	if isNoRows(err) { // no joinable meeting (the rare path): the room alone
		r, err = s.RoomByName(ctx, roomName)
		return r, nil, err
	}
	if err != nil {
		return r, nil, fmt.Errorf("meeting for join: %w", err)
	}
	return r, &m, nil
}

// MeetingJoinByID registers an intent for a chosen joinable meeting (see meeting.Store).
func (s MeetingStore) MeetingJoinByID(ctx context.Context, roomName string, id uuid.UUID, in meeting.Intent, now time.Time) (room.Room, meeting.Meeting, bool, error) {
	var (
		r          room.Room
		m          meeting.Meeting
		registered int
	)
	err := s.joinRow(ctx, joinByIDSQL, append(intentArgs(roomName, in, now), id), &r, &m, &registered)
	if isNoRows(err) {
		if r, err = s.RoomByName(ctx, roomName); err != nil {
			return r, m, false, err
		}
		return r, m, false, meeting.ErrNotFound
	}
	if err != nil {
		return r, m, false, fmt.Errorf("join meeting: %w", err)
	}
	return r, m, registered > 0, nil
}

// intentArgs are the arguments of a query built on upsertIntentHead: key is $1.
func intentArgs(key any, in meeting.Intent, now time.Time) []any {
	return []any{key, in.ConnectionID, in.UserID, now, in.ExpiresAt, in.State}
}

// joinRow runs a join statement and scans its one row: the room's columns into r, the
// meeting's into m, then any extra columns. No row is sql.ErrNoRows.
func (s MeetingStore) joinRow(ctx context.Context, query string, args []any, r *room.Room, m *meeting.Meeting, extra ...any) error {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	nr := strings.Count(roomCols, ",") + 1
	nm := strings.Count(meetingCols, ",") + 1
	if len(cols) != nr+nm+len(extra) {
		return fmt.Errorf("join row: %d columns, want %d", len(cols), nr+nm+len(extra))
	}
	dest := make([]any, 0, len(cols))
	if dest, err = fieldPtrs(dest, s.db.Mapper, r, cols[:nr]); err != nil {
		return err
	}
	if dest, err = fieldPtrs(dest, s.db.Mapper, m, cols[nr:nr+nm]); err != nil {
		return err
	}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	return rows.Close()
}

// fieldPtrs appends the addresses of the fields of the struct v points to that carry the
// db names, in their order.
func fieldPtrs(dest []any, mp *reflectx.Mapper, v any, names []string) ([]any, error) {
	rv := reflect.ValueOf(v).Elem()
	for i, idx := range mp.TraversalsByName(rv.Type(), names) {
		if len(idx) == 0 {
			return nil, fmt.Errorf("no field of %s for column %q", rv.Type(), names[i])
		}
		dest = append(dest, reflectx.FieldByIndexes(rv, idx).Addr().Interface())
	}
	return dest, nil
}
