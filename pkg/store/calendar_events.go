package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/monadical/reflector-go/pkg/calendar"
)

// calendarEventCols lists the columns of calendar_event as calendarEventRow reads them,
// qualified by alias.
func calendarEventCols(alias string) string {
	cols := `%[1]s.id, %[1]s.room_id, %[1]s.ics_uid, %[1]s.recurrence_id, COALESCE(%[1]s.title, '') AS title,
	COALESCE(%[1]s.description, '') AS description, COALESCE(%[1]s.location, '') AS location,
	COALESCE(%[1]s.ics_raw_data, '') AS ics_raw_data, %[1]s.start_time, %[1]s.end_time, %[1]s.all_day,
	%[1]s.attendees, %[1]s.last_synced, %[1]s.is_deleted, %[1]s.meeting_id, %[1]s.created_at, %[1]s.updated_at`
	return fmt.Sprintf(cols, alias)
}

type calendarEventRow struct {
	ID           uuid.UUID     `db:"id"`
	RoomID       uuid.UUID     `db:"room_id"`
	UID          string        `db:"ics_uid"`
	RecurrenceID string        `db:"recurrence_id"`
	Title        string        `db:"title"`
	Description  string        `db:"description"`
	Location     string        `db:"location"`
	Raw          string        `db:"ics_raw_data"`
	Start        time.Time     `db:"start_time"`
	End          time.Time     `db:"end_time"`
	AllDay       bool          `db:"all_day"`
	Attendees    []byte        `db:"attendees"`
	LastSynced   time.Time     `db:"last_synced"`
	IsDeleted    bool          `db:"is_deleted"`
	MeetingID    uuid.NullUUID `db:"meeting_id"`
	CreatedAt    time.Time     `db:"created_at"`
	UpdatedAt    time.Time     `db:"updated_at"`
}

func (r calendarEventRow) domain() (calendar.CalendarEvent, error) {
	e := calendar.CalendarEvent{
		Event: calendar.Event{
			UID: r.UID, RecurrenceID: r.RecurrenceID, Title: r.Title, Description: r.Description,
			Location: r.Location, Raw: r.Raw, Start: r.Start, End: r.End, AllDay: r.AllDay,
		},
		ID: r.ID, RoomID: r.RoomID, IsDeleted: r.IsDeleted,
		LastSynced: r.LastSynced, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.MeetingID.Valid {
		id := r.MeetingID.UUID
		e.MeetingID = &id
	}
	if len(r.Attendees) > 0 {
		if err := json.Unmarshal(r.Attendees, &e.Attendees); err != nil {
			return calendar.CalendarEvent{}, fmt.Errorf("calendar event %s attendees: %w", r.ID, err)
		}
	}
	return e, nil
}

func (s CalendarStore) selectEvents(ctx context.Context, q string, args ...any) ([]calendar.CalendarEvent, error) {
	var rows []calendarEventRow
	if err := sqlx.SelectContext(ctx, s.q, &rows, q, args...); err != nil {
		return nil, err
	}
	out := make([]calendar.CalendarEvent, len(rows))
	for i, r := range rows {
		e, err := r.domain()
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// CalendarEventsForSync returns the room's events, deleted included, starting at or after
// since or with one of uids.
func (s CalendarStore) CalendarEventsForSync(ctx context.Context, roomID uuid.UUID, since time.Time, uids []string) ([]calendar.CalendarEvent, error) {
	events, err := s.selectEvents(ctx, `SELECT `+calendarEventCols("ce")+` FROM calendar_event ce
		WHERE ce.room_id = $1 AND (ce.start_time >= $2 OR ce.ics_uid = ANY($3::text[]))`,
		roomID, since, pq.Array(uids))
	if err != nil {
		return nil, fmt.Errorf("calendar events for sync: %w", err)
	}
	return events, nil
}

// CalendarEventsUpsert writes the events in one statement (see calendar.Store).
func (s CalendarStore) CalendarEventsUpsert(ctx context.Context, roomID uuid.UUID, events []calendar.CalendarEvent, now time.Time) error {
	cols, err := upsertColumns(events)
	if err != nil {
		return fmt.Errorf("calendar events upsert: %w", err)
	}
	args := append([]any{roomID, now}, cols...)
	_, err = s.q.ExecContext(ctx, `INSERT INTO calendar_event AS ce (id, room_id, ics_uid, recurrence_id, title,
			description, location, ics_raw_data, start_time, end_time, all_day, attendees, last_synced, is_deleted,
			created_at, updated_at)
		SELECT u.id, $1, u.uid, u.rid, NULLIF(u.title, ''), NULLIF(u.description, ''), NULLIF(u.location, ''),
			NULLIF(u.raw, ''), u.start_time, u.end_time, u.all_day, NULLIF(u.attendees, '')::jsonb, $2, false, $2, $2
		FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::timestamptz[], $11::timestamptz[], $12::bool[], $13::text[])
			AS u(id, uid, rid, title, description, location, raw, start_time, end_time, all_day, attendees)
		ON CONFLICT (room_id, ics_uid, recurrence_id) DO UPDATE SET title = EXCLUDED.title,
			description = EXCLUDED.description, location = EXCLUDED.location, ics_raw_data = EXCLUDED.ics_raw_data,
			start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, all_day = EXCLUDED.all_day,
			attendees = EXCLUDED.attendees, last_synced = EXCLUDED.last_synced, is_deleted = false,
			updated_at = EXCLUDED.updated_at,
			-- a moved event leaves its slot's meeting: the new slot gets its own
			meeting_id = CASE WHEN ce.start_time = EXCLUDED.start_time AND ce.end_time = EXCLUDED.end_time
				THEN ce.meeting_id END`, args...)
	if err != nil {
		return fmt.Errorf("calendar events upsert: %w", err)
	}
	return nil
}

// upsertColumns turns events into the column arrays of the unnest in CalendarEventsUpsert.
func upsertColumns(events []calendar.CalendarEvent) ([]any, error) {
	n := len(events)
	ids, uids, rids := make([]string, n), make([]string, n), make([]string, n)
	titles, descs, locs, raws := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	starts, ends, atts := make([]string, n), make([]string, n), make([]string, n)
	allDay := make([]bool, n)
	for i, e := range events {
		ids[i], uids[i], rids[i] = e.ID.String(), pgText(e.UID), pgText(e.RecurrenceID)
		titles[i], descs[i], locs[i], raws[i] = pgText(e.Title), pgText(e.Description), pgText(e.Location), pgText(e.Raw)
		starts[i], ends[i] = e.Start.UTC().Format(time.RFC3339Nano), e.End.UTC().Format(time.RFC3339Nano)
		allDay[i] = e.AllDay
		if len(e.Attendees) > 0 {
			b, err := json.Marshal(e.Attendees)
			if err != nil {
				return nil, err
			}
			atts[i] = pgText(string(b))
		}
	}
	return []any{pq.Array(ids), pq.Array(uids), pq.Array(rids), pq.Array(titles), pq.Array(descs),
		pq.Array(locs), pq.Array(raws), pq.Array(starts), pq.Array(ends), pq.Array(allDay), pq.Array(atts)}, nil
}

// CalendarEventsSoftDelete marks the events deleted.
func (s CalendarStore) CalendarEventsSoftDelete(ctx context.Context, ids []uuid.UUID, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE calendar_event SET is_deleted = true, updated_at = $2
		WHERE id = ANY($1::uuid[]) AND NOT is_deleted`, pq.Array(uuidStrings(ids)), now)
	if err != nil {
		return fmt.Errorf("calendar events soft delete: %w", err)
	}
	return nil
}

// CalendarEventsByRoom lists the room's non-deleted events by start time.
func (s CalendarStore) CalendarEventsByRoom(ctx context.Context, roomID uuid.UUID) ([]calendar.CalendarEvent, error) {
	events, err := s.selectEvents(ctx, `SELECT `+calendarEventCols("ce")+` FROM calendar_event ce
		WHERE ce.room_id = $1 AND NOT ce.is_deleted ORDER BY ce.start_time, ce.ics_uid, ce.recurrence_id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("calendar events by room: %w", err)
	}
	return events, nil
}

// CalendarEventsUpcomingByRoom lists the room's non-deleted events starting by until and not
// ended at now.
func (s CalendarStore) CalendarEventsUpcomingByRoom(ctx context.Context, roomID uuid.UUID, now, until time.Time) ([]calendar.CalendarEvent, error) {
	events, err := s.selectEvents(ctx, `SELECT `+calendarEventCols("ce")+` FROM calendar_event ce
		WHERE ce.room_id = $1 AND NOT ce.is_deleted AND ce.start_time <= $3 AND ce.end_time >= $2
		ORDER BY ce.start_time, ce.ics_uid, ce.recurrence_id`, roomID, now, until)
	if err != nil {
		return nil, fmt.Errorf("calendar events upcoming: %w", err)
	}
	return events, nil
}

// CalendarEventsCountByRoom counts the room's non-deleted events.
func (s CalendarStore) CalendarEventsCountByRoom(ctx context.Context, roomID uuid.UUID) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, s.q, &n, `SELECT count(*) FROM calendar_event WHERE room_id = $1 AND NOT is_deleted`, roomID)
	if err != nil {
		return 0, fmt.Errorf("calendar events count: %w", err)
	}
	return n, nil
}

// CalendarEventsNeedingMeeting lists the events of ICS-enabled rooms that wait for a meeting.
func (s CalendarStore) CalendarEventsNeedingMeeting(ctx context.Context, startAfter, startBefore, endAfter time.Time) ([]calendar.CalendarEvent, error) {
	events, err := s.selectEvents(ctx, `SELECT `+calendarEventCols("ce")+` FROM calendar_event ce
		JOIN room r ON r.id = ce.room_id
		WHERE r.ics_enabled AND NOT ce.is_deleted AND NOT ce.all_day AND ce.meeting_id IS NULL
			AND ce.start_time > $1 AND ce.start_time <= $2 AND ce.end_time >= $3
		ORDER BY ce.room_id, ce.start_time, ce.end_time, ce.created_at, ce.ics_uid, ce.recurrence_id`,
		startAfter, startBefore, endAfter)
	if err != nil {
		return nil, fmt.Errorf("calendar events needing meeting: %w", err)
	}
	return events, nil
}

// CalendarEventsLinkMeeting links the events still unlinked and still in the slot.
func (s CalendarStore) CalendarEventsLinkMeeting(ctx context.Context, ids []uuid.UUID, meetingID uuid.UUID, start, end time.Time) (int, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE calendar_event SET meeting_id = $2
		WHERE id = ANY($1::uuid[]) AND meeting_id IS NULL AND NOT is_deleted AND start_time = $3 AND end_time = $4`,
		pq.Array(uuidStrings(ids)), meetingID, start, end)
	if err != nil {
		return 0, fmt.Errorf("calendar events link meeting: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func uuidStrings(ids []uuid.UUID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}
