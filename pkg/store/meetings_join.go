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
	"github.com/lib/pq"

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
// (meetingCols, as m.*, NULL without a matching meeting) as plain columns that joinRow reads
// positionally: no JSON to build in Postgres nor to decode here. No row: no such room.
const (
	joinRoom = `WITH r AS (SELECT ` + roomCols + ` FROM room WHERE name = $1),
	m AS (SELECT ` + meetingCols + ` FROM meeting WHERE room_id = (SELECT id FROM r) AND `
	// joinSQL is MeetingForJoin's statement for a batch of joiners (joinbatch.go): $1 the
	// room name, $2 the batch's latest "now", then one array element per joiner: connection
	// id, user id ('' for none), intent state, now, intent expiry, and the handout event's
	// kind, actor and detail ($3-$10). Each joiner gets an intent and a handout event; the
	// whole batch is one round trip.
	joinSQL = joinRoom + `is_active AND kind = 'adhoc' AND end_date > $2 FOR SHARE),
	j AS (SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
		$8::text[], $9::text[], $10::jsonb[]) AS j(connection_id, user_id, state, at, expires_at, kind, actor, detail)),
	i AS (INSERT INTO join_intent (meeting_id, connection_id, user_id, state, created_at, updated_at, expires_at)
		SELECT m.id, j.connection_id, NULLIF(j.user_id, ''), j.state, j.at, j.at, j.expires_at FROM m, j` + upsertIntentTail + `),
	e AS (INSERT INTO meeting_event (meeting_id, at, kind, actor, detail) SELECT m.id, j.at, j.kind, j.actor, j.detail FROM m, j)
	SELECT r.*, m.* FROM r LEFT JOIN m ON true`
	// joinByIDSQL is MeetingJoinByID's: the meeting $7, with an intent only if it is joinable.
	joinByIDSQL = joinRoom + `id = $7 FOR SHARE),
	i AS (` + upsertIntentHead + ` WHERE m.is_active AND m.end_date > $4` + upsertIntentTail + `)
	SELECT r.*, m.*, (SELECT count(*) FROM i) AS registered FROM r LEFT JOIN m ON true`
)

// JoinSQL is the statement of MeetingForJoin, for the benchmark that runs it through pgbench.
func JoinSQL() string { return joinSQL }

// MeetingForJoin is the one-statement handout of get-or-create (see meeting.Store). Outside a
// transaction, concurrent handouts of one room share a statement (joinbatch.go).
func (s MeetingStore) MeetingForJoin(ctx context.Context, roomName string, in meeting.Intent, ev meeting.Event, now time.Time) (room.Room, *meeting.Meeting, error) {
	if s.batches != nil {
		return s.batches.join(ctx, roomName, in, ev, now)
	}
	res := s.joinBatch(ctx, roomName, []*joinReq{{in: in, ev: ev, now: now}})
	return res.r, res.m, res.err
}

// joinBatch runs joinSQL for a batch of joiners of roomName.
func (s MeetingStore) joinBatch(ctx context.Context, roomName string, batch []*joinReq) joinRes {
	var (
		latest                                  time.Time
		conns, users, states, kinds, actors, ds []string
		ats, expires                            []string
	)
	for _, req := range batch {
		latest = later(latest, req.now)
		user := ""
		if req.in.UserID != nil {
			user = *req.in.UserID
		}
		detail := string(req.ev.Detail)
		if detail == "" {
			detail = "{}"
		}
		conns, users, states = append(conns, req.in.ConnectionID), append(users, user), append(states, req.in.State)
		ats, expires = append(ats, req.now.Format(time.RFC3339Nano)), append(expires, req.in.ExpiresAt.Format(time.RFC3339Nano))
		kinds, actors, ds = append(kinds, req.ev.Kind), append(actors, req.ev.Actor), append(ds, detail)
	}
	var (
		res joinRes
		m   meeting.Meeting
	)
	found, err := s.joinRow(ctx, joinSQL, []any{roomName, latest, pq.StringArray(conns), pq.StringArray(users),
		pq.StringArray(states), pq.StringArray(ats), pq.StringArray(expires), pq.StringArray(kinds),
		pq.StringArray(actors), pq.StringArray(ds)}, &res.r, &m)
	switch {
	case isNoRows(err):
		res.err = room.ErrNotFound
	case err != nil:
		res.err = fmt.Errorf("meeting for join: %w", err)
	case found:
		res.m = &m
	}
	return res
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// MeetingJoinByID registers an intent for a chosen joinable meeting (see meeting.Store).
func (s MeetingStore) MeetingJoinByID(ctx context.Context, roomName string, id uuid.UUID, in meeting.Intent, now time.Time) (room.Room, meeting.Meeting, bool, error) {
	var (
		r          room.Room
		m          meeting.Meeting
		registered int
	)
	found, err := s.joinRow(ctx, joinByIDSQL, append(intentArgs(roomName, in, now), id), &r, &m, &registered)
	if isNoRows(err) {
		return r, m, false, room.ErrNotFound
	}
	if err != nil {
		return r, m, false, fmt.Errorf("join meeting: %w", err)
	}
	if !found {
		return r, m, false, meeting.ErrNotFound
	}
	return r, m, registered > 0, nil
}

// intentArgs are the arguments of a query built on upsertIntentHead: key is $1.
func intentArgs(key any, in meeting.Intent, now time.Time) []any {
	return []any{key, in.ConnectionID, in.UserID, now, in.ExpiresAt, in.State}
}

// joinRow runs a join statement and scans its one row: the room's columns into r, the
// meeting's into m (found is false when they are NULL), then any extra columns. No row is
// sql.ErrNoRows.
func (s MeetingStore) joinRow(ctx context.Context, query string, args []any, r *room.Room, m *meeting.Meeting, extra ...any) (found bool, err error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, err
		}
		return false, sql.ErrNoRows
	}
	cols, err := rows.Columns()
	if err != nil {
		return false, err
	}
	nr := strings.Count(roomCols, ",") + 1
	nm := strings.Count(meetingCols, ",") + 1
	if len(cols) != nr+nm+len(extra) {
		return false, fmt.Errorf("join row: %d columns, want %d", len(cols), nr+nm+len(extra))
	}
	rooms, err := fields(s.db.Mapper, r, cols[:nr])
	if err != nil {
		return false, err
	}
	meetings, err := fields(s.db.Mapper, m, cols[nr:nr+nm])
	if err != nil {
		return false, err
	}
	// The meeting's columns scan into a **T each (NULL leaves it nil), then into m.
	holders := make([]reflect.Value, len(meetings))
	dest := make([]any, 0, len(cols))
	for _, f := range rooms {
		dest = append(dest, f.Addr().Interface())
	}
	for i, f := range meetings {
		holders[i] = reflect.New(reflect.PointerTo(f.Type()))
		dest = append(dest, holders[i].Interface())
	}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return false, err
	}
	for i, f := range meetings {
		if p := holders[i].Elem(); !p.IsNil() {
			f.Set(p.Elem())
			found = true
		}
	}
	return found, rows.Close()
}

// fields returns the fields of the struct v points to that carry the db names, in order.
func fields(mp *reflectx.Mapper, v any, names []string) ([]reflect.Value, error) {
	rv := reflect.ValueOf(v).Elem()
	out := make([]reflect.Value, len(names))
	for i, idx := range mp.TraversalsByName(rv.Type(), names) {
		if len(idx) == 0 {
			return nil, fmt.Errorf("no field of %s for column %q", rv.Type(), names[i])
		}
		out[i] = reflectx.FieldByIndexes(rv, idx)
	}
	return out, nil
}
