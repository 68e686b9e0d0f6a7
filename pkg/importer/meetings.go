package importer

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

type srcEvent struct {
	ID          string    `db:"id"`
	RoomID      *string   `db:"room_id"`
	ICSUID      string    `db:"ics_uid"`
	Title       *string   `db:"title"`
	Description *string   `db:"description"`
	Location    *string   `db:"location"`
	ICSRawData  *string   `db:"ics_raw_data"`
	StartTime   time.Time `db:"start_time"`
	EndTime     time.Time `db:"end_time"`
	Attendees   []byte    `db:"attendees"`
	LastSynced  time.Time `db:"last_synced"`
	IsDeleted   bool      `db:"is_deleted"`
	CreatedAt   time.Time `db:"created_at"`
	UpdatedAt   time.Time `db:"updated_at"`
}

const eventCols = `room_id, ics_uid, title, description, location, ics_raw_data, start_time, end_time, attendees,
	last_synced, is_deleted, created_at, updated_at`

// calendar_event.meeting_id is ours: it is set after the meetings exist (eventMeetings).
var eventTarget = newTarget("calendar_event", splitCols(eventCols), nil, nil) //nolint:gochecknoglobals // constant

func (r *run) calendarEvents(ctx context.Context) error {
	return each(ctx, r, "calendar_event", `SELECT id, `+eventCols+` FROM calendar_event ORDER BY start_time, id`,
		r.calendarEvent)
}

func (r *run) calendarEvent(ctx context.Context, c *Counts, s srcEvent) error {
	id := r.idFor("calendar_event", s.ID)
	var ck checker
	roomID := r.ref(&ck, "room", "room_id", s.RoomID)
	if ck.reason == "" {
		other, err := r.otherID(ctx, `SELECT id::text FROM calendar_event WHERE room_id = $1 AND ics_uid = $2
			AND recurrence_id = '' AND id <> $3`, roomID, s.ICSUID, id)
		if err != nil {
			return err
		}
		if other != "" {
			ck.fail("ics_uid %q is already event %s of the room here", s.ICSUID, other)
		}
	}
	if ck.reason != "" {
		r.rep.skip("calendar_event", s.ID, "%s", ck.reason)
		return nil
	}
	r.imported("calendar_event", s.ID, id)
	written, err := eventTarget.upsert(ctx, r.dst, c, id, roomID, s.ICSUID, s.Title, s.Description, s.Location, s.ICSRawData,
		s.StartTime, s.EndTime, nullJSON(s.Attendees), s.LastSynced, s.IsDeleted, s.CreatedAt, s.UpdatedAt)
	if written {
		r.written[id] = true
	}
	return err
}

// nullJSON passes SQL NULL for a NULL json column.
func nullJSON(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

type srcMeeting struct {
	ID               string     `db:"id"`
	RoomName         *string    `db:"room_name"`
	RoomURL          *string    `db:"room_url"`
	HostRoomURL      *string    `db:"host_room_url"`
	StartDate        *time.Time `db:"start_date"`
	EndDate          *time.Time `db:"end_date"`
	RoomID           *string    `db:"room_id"`
	IsLocked         bool       `db:"is_locked"`
	RoomMode         string     `db:"room_mode"`
	RecordingType    string     `db:"recording_type"`
	RecordingTrigger string     `db:"recording_trigger"`
	NumClients       int        `db:"num_clients"`
	IsActive         bool       `db:"is_active"`
	CalendarEventID  *string    `db:"calendar_event_id"`
	CalendarMetadata []byte     `db:"calendar_metadata"`
	Platform         string     `db:"platform"`
	ComposedKey      *string    `db:"daily_composed_video_s3_key"`
	ComposedDuration *int       `db:"daily_composed_video_duration"`
	HadSessions      bool       `db:"had_sessions"`
}

const meetingSrcCols = `id, room_name, room_url, host_room_url, start_date, end_date, room_id, is_locked, room_mode,
	recording_type, recording_trigger, num_clients, is_active, calendar_event_id, calendar_metadata, platform,
	daily_composed_video_s3_key, daily_composed_video_duration`

// Mirrored columns, then ours: an imported ended meeting is marked ended, and its provider room
// as handled, so our sweep does not delete rooms the original already dealt with.
var meetingTarget = newTarget("meeting", //nolint:gochecknoglobals // constant
	splitCols(`room_id, kind, platform, provider_meeting_id, room_name, room_url, host_room_url, start_date, end_date,
		is_locked, room_mode, recording_type, recording_trigger, num_clients, is_active, calendar_event_id,
		calendar_metadata, daily_composed_video_s3_key, daily_composed_video_duration, ever_joined`),
	[]string{"created_at", "ended_at", "ended_reason", "provider_room_deleted_at"},
	map[string]string{
		"ended_at":                 "COALESCE(meeting.ended_at, EXCLUDED.ended_at)",
		"ended_reason":             "COALESCE(meeting.ended_reason, EXCLUDED.ended_reason)",
		"provider_room_deleted_at": "COALESCE(meeting.provider_room_deleted_at, EXCLUDED.provider_room_deleted_at)",
	})

// EndedReasonImported marks meetings that had already ended in the original.
const EndedReasonImported = "imported"

// meetings are read newest first so that, of several active ad-hoc meetings in one room (the
// original allows that), the newest becomes the room's meeting and the others extras.
func (r *run) meetings(ctx context.Context) error {
	k := kinds{adhoc: map[uuid.UUID]bool{}, slots: map[string]bool{}}
	return each(ctx, r, "meeting", `SELECT `+meetingSrcCols+`,
		EXISTS (SELECT 1 FROM daily_participant_session s WHERE s.meeting_id = m.id) AS had_sessions
		FROM meeting m ORDER BY start_date DESC NULLS LAST, id`,
		func(ctx context.Context, c *Counts, s srcMeeting) error { return r.meeting(ctx, c, s, &k) })
}

func (r *run) meeting(ctx context.Context, c *Counts, s srcMeeting, k *kinds) error {
	var ck checker
	roomID := r.ref(&ck, "room", "room_id", s.RoomID)
	ck.notNull("start_date", s.StartDate == nil)
	ck.notNull("end_date", s.EndDate == nil)
	ck.oneOf("platform", s.Platform, platforms)
	ck.oneOf("room_mode", s.RoomMode, roomModes)
	ck.oneOf("recording_type", s.RecordingType, recordingTypes)
	ck.oneOf("recording_trigger", s.RecordingTrigger, recordingTriggers)
	if s.NumClients < 0 {
		ck.fail("num_clients %d is negative", s.NumClients)
	}
	var eventID *uuid.UUID
	if s.CalendarEventID != nil {
		e := r.ref(&ck, "calendar_event", "calendar_event_id", s.CalendarEventID)
		eventID = &e
	}
	if ck.reason != "" {
		r.rep.skip("meeting", s.ID, "%s", ck.reason)
		return nil
	}
	id := r.idFor("meeting", s.ID)
	kind, err := r.kindOf(ctx, k, id, roomID, s)
	if err != nil {
		return err
	}
	r.imported("meeting", s.ID, id)
	var endedAt, deletedAt *time.Time
	var reason *string
	if !s.IsActive {
		endedAt, deletedAt, reason = s.EndDate, s.EndDate, ptr(EndedReasonImported)
	}
	return meetingTarget.write(ctx, r.dst, c, id, roomID, kind, s.Platform, s.ID, str(s.RoomName), str(s.RoomURL),
		str(s.HostRoomURL), *s.StartDate, *s.EndDate, s.IsLocked, s.RoomMode, s.RecordingType, s.RecordingTrigger,
		s.NumClients, s.IsActive, eventID, nullJSON(s.CalendarMetadata), s.ComposedKey, s.ComposedDuration,
		s.HadSessions || s.NumClients > 0, *s.StartDate, endedAt, reason, deletedAt)
}

func ptr[T any](v T) *T { return &v }

// kinds remembers, during one import, the rooms whose active ad-hoc meeting is taken and the
// calendar slots already used.
type kinds struct {
	adhoc map[uuid.UUID]bool
	slots map[string]bool
}

// kindOf classifies a meeting as ours does: one per calendar slot, at most one active ad-hoc
// meeting per room; what does not fit (the original allows both) becomes an extra meeting.
func (r *run) kindOf(ctx context.Context, k *kinds, id, roomID uuid.UUID, s srcMeeting) (string, error) {
	if s.CalendarEventID != nil {
		slot := fmt.Sprintf("%s/%d/%d", roomID, s.StartDate.UnixMicro(), s.EndDate.UnixMicro())
		other, err := r.otherID(ctx, `SELECT id::text FROM meeting WHERE kind = 'calendar' AND room_id = $1
			AND start_date = $2 AND end_date = $3 AND id <> $4`, roomID, *s.StartDate, *s.EndDate, id)
		if err != nil || (!k.slots[slot] && other == "") {
			k.slots[slot] = true
			return "calendar", err
		}
		r.rep.note("meeting", s.ID, "a second meeting for one calendar slot: imported as an extra meeting")
		return "extra", nil
	}
	if !s.IsActive {
		return "adhoc", nil
	}
	other, err := r.otherID(ctx, `SELECT id::text FROM meeting WHERE kind = 'adhoc' AND is_active
		AND room_id = $1 AND id <> $2`, roomID, id)
	if err != nil || (!k.adhoc[roomID] && other == "") {
		k.adhoc[roomID] = true
		return "adhoc", err
	}
	r.rep.note("meeting", s.ID, "the room has a newer active meeting: imported as an extra meeting")
	return "extra", nil
}

// eventMeetings links each event to its latest imported meeting, as ours records it.
func (r *run) eventMeetings(ctx context.Context) error {
	type link struct {
		EventID   string `db:"calendar_event_id"`
		MeetingID string `db:"id"`
	}
	var rows []link
	err := r.selectAll(ctx, "meeting", &rows, `SELECT DISTINCT ON (calendar_event_id) calendar_event_id, id
		FROM meeting WHERE calendar_event_id IS NOT NULL ORDER BY calendar_event_id, start_date DESC NULLS LAST, id`)
	if err != nil {
		return err
	}
	c := r.rep.table("calendar_event")
	for _, l := range rows {
		ev, ok1 := r.lookup("calendar_event", l.EventID)
		m, ok2 := r.lookup("meeting", l.MeetingID)
		if !ok1 || !ok2 {
			continue
		}
		res, err := r.dst.ExecContext(ctx, `UPDATE calendar_event SET meeting_id = $2 WHERE id = $1
			AND meeting_id IS DISTINCT FROM $2`, ev, m)
		if err != nil {
			return fmt.Errorf("link calendar_event %s: %w", l.EventID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 && !r.written[ev] {
			c.Updated++
		}
	}
	return nil
}
