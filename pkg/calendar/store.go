package calendar

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store is the persistence the calendar service needs. pkg/store implements it.
type Store interface {
	// InTx runs fn in a transaction with a Store bound to it; nested calls are refused.
	InTx(ctx context.Context, fn func(tx Store) error) error

	// RoomsICSDue lists the rooms with ICS enabled and a URL that are due at the scheduler
	// tick at tick, of length tickLen: rooms never synced, rooms whose last sync failed, and
	// rooms for which SlotDue holds. It reads the clock, never a sync time, so a sync that
	// changes nothing need not write.
	RoomsICSDue(ctx context.Context, tick time.Time, tickLen time.Duration) ([]uuid.UUID, error)
	// RoomICS reads a room's calendar settings; ErrRoomNotFound if absent.
	RoomICS(ctx context.Context, roomID uuid.UUID) (RoomICS, error)
	// RoomICSLock reads a room's calendar settings and locks the room row until the end of
	// the transaction; ErrRoomNotFound if absent.
	RoomICSLock(ctx context.Context, roomID uuid.UUID) (RoomICS, error)
	// RoomICSSynced records a successful sync, or an unchanged one whose validators or status
	// changed, and clears the last error.
	RoomICSSynced(ctx context.Context, roomID uuid.UUID, m SyncMark) error
	// RoomICSFailed records a failed sync; the last sync time and validators are kept so the
	// next tick tries again.
	RoomICSFailed(ctx context.Context, roomID uuid.UUID, reason string) error

	// CalendarEventsForSync returns the room's events, deleted ones included, that start at
	// or after since or whose UID is in uids.
	CalendarEventsForSync(ctx context.Context, roomID uuid.UUID, since time.Time, uids []string) ([]CalendarEvent, error)
	// CalendarEventsUpsert inserts the events (with their IDs) or updates them by (room, UID,
	// recurrence id): fields rewritten, undeleted, updated_at and last_synced set to now,
	// created_at kept, and meeting_id cleared when the start or end changed.
	CalendarEventsUpsert(ctx context.Context, roomID uuid.UUID, events []CalendarEvent, now time.Time) error
	// CalendarEventsSoftDelete marks the events deleted.
	CalendarEventsSoftDelete(ctx context.Context, ids []uuid.UUID, now time.Time) error
	// CalendarEventsByRoom lists the room's non-deleted events by start time.
	CalendarEventsByRoom(ctx context.Context, roomID uuid.UUID) ([]CalendarEvent, error)
	// CalendarEventsUpcomingByRoom lists the room's non-deleted events that start at or before
	// until and end at or after now, by start time.
	CalendarEventsUpcomingByRoom(ctx context.Context, roomID uuid.UUID, now, until time.Time) ([]CalendarEvent, error)
	// CalendarEventsCountByRoom counts the room's non-deleted events, past ones included.
	CalendarEventsCountByRoom(ctx context.Context, roomID uuid.UUID) (int, error)
	// CalendarEventsNeedingMeeting lists, across rooms with ICS enabled, the non-deleted,
	// non-all-day events without a meeting that start in (startAfter, startBefore] and end at
	// or after endAfter, ordered by room, start, end, creation.
	CalendarEventsNeedingMeeting(ctx context.Context, startAfter, startBefore, endAfter time.Time) ([]CalendarEvent, error)
	// CalendarEventsLinkMeeting links the given events to a meeting when they still have no
	// meeting, are not deleted and still occupy the slot [start, end]; it returns how many
	// were linked.
	CalendarEventsLinkMeeting(ctx context.Context, ids []uuid.UUID, meetingID uuid.UUID, start, end time.Time) (int, error)
}

// CalendarMetadata is what a calendar meeting remembers of its event.
type CalendarMetadata struct {
	Title       *string    `json:"title"`
	Description *string    `json:"description"`
	Attendees   []Attendee `json:"attendees"`
}

// CalendarMeetingRequest asks for the meeting of one calendar slot of a room.
type CalendarMeetingRequest struct {
	RoomID uuid.UUID
	// CalendarEventID is the slot's first event, recorded as the meeting's calendar_event_id.
	CalendarEventID uuid.UUID
	Start           time.Time
	End             time.Time
	Metadata        CalendarMetadata
}

// MeetingCreator creates the meeting of a calendar slot (kind 'calendar') through the room's
// video provider. It is idempotent per slot: when the room already has a calendar meeting with
// the same start and end it returns that meeting's id instead of creating one (the unique
// index uq_meeting_calendar_slot settles races). pkg/meeting implements it.
type MeetingCreator interface {
	CreateCalendarMeeting(ctx context.Context, req CalendarMeetingRequest) (meetingID uuid.UUID, err error)
}
