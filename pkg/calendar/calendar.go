// Package calendar turns a room's ICS feed into calendar events and scheduled meetings: it
// fetches the feed (conditional GET, size and address limits), parses it (time zones, all-day
// events, RRULE/RDATE/EXDATE expansion, RECURRENCE-ID overrides, cancellations), keeps the
// events of the room in step with the feed, and pre-creates one meeting per calendar slot.
package calendar

import (
	"errors"
	"time"

	"github.com/google/uuid"
)

// ErrRoomNotFound is returned when the room asked for does not exist.
var ErrRoomNotFound = errors.New("calendar: room not found")

// ErrNotConfigured is returned by a forced (manual) sync of a room whose ICS feed is disabled
// or has no URL. The original answers 400 "ICS not configured for this room".
var ErrNotConfigured = errors.New("calendar: no ics feed configured for the room")

// Attendee is one participant of an event, as the original stores it.
type Attendee struct {
	Email  string `json:"email,omitempty"`
	Name   string `json:"name,omitempty"`
	Status string `json:"status,omitempty"`
	Role   string `json:"role,omitempty"`
}

// Event is one occurrence of a VEVENT after expansion, in UTC.
type Event struct {
	UID string
	// RecurrenceID identifies the occurrence of a recurring event: its original start as
	// "20060102T150405Z" ("20060102" for all-day events), or "" for a single event.
	RecurrenceID string
	Title        string
	Description  string
	Location     string
	Start        time.Time
	End          time.Time
	// AllDay events are kept and listed but never get a meeting.
	AllDay    bool
	Attendees []Attendee
	// Raw is the VEVENT as iCalendar text, without DTSTAMP (which some feeds rewrite on every
	// download), so that an unchanged event compares equal.
	Raw string
}

// key identifies an event within a room.
type key struct{ uid, recurrenceID string }

func (e Event) key() key { return key{e.UID, e.RecurrenceID} }

// sameContent reports whether two events carry the same data.
func (e Event) sameContent(o Event) bool {
	return e.Title == o.Title && e.Description == o.Description && e.Location == o.Location &&
		e.Start.Equal(o.Start) && e.End.Equal(o.End) && e.AllDay == o.AllDay &&
		e.Raw == o.Raw && sameAttendees(e.Attendees, o.Attendees)
}

func sameAttendees(a, b []Attendee) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// CalendarEvent is an event as stored for a room.
type CalendarEvent struct {
	Event
	ID        uuid.UUID
	RoomID    uuid.UUID
	IsDeleted bool
	// MeetingID is the meeting of the event's slot once created; cleared when the event
	// moves to another slot.
	MeetingID  *uuid.UUID
	LastSynced time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// RoomICS is a room's calendar settings and sync bookkeeping.
type RoomICS struct {
	ID            uuid.UUID
	Name          string
	URL           string // "" when unset
	Enabled       bool
	FetchInterval time.Duration
	LastSync      *time.Time // last time the feed was applied or the room's sync state changed
	LastApplied   *time.Time // last time the feed was parsed and applied
	LastETag      string     // HTTP ETag of the last 200 response
	LastModified  string     // HTTP Last-Modified of the last 200 response
	LastHash      string     // content hash of the last feed applied
	LastStatus    string     // success | unchanged | error
	LastError     string
}

// configured reports whether the room has a feed to sync.
func (r RoomICS) configured() bool { return r.Enabled && r.URL != "" }

// current reports whether the room's stored sync state already says what m would write, so
// that recording m would change nothing: the feed's validators and hash, no error.
func (r RoomICS) current(m SyncMark) bool {
	return (r.LastStatus == string(SyncSuccess) || r.LastStatus == string(SyncUnchanged)) && r.LastError == "" &&
		r.LastETag == m.ETag && r.LastModified == m.LastModified && r.LastHash == m.Hash
}

// SyncMark is the bookkeeping written after a feed was fetched and applied (or found
// unchanged).
type SyncMark struct {
	At           time.Time
	ETag         string
	LastModified string
	Hash         string
	Status       SyncStatus
	// Applied is set when the feed was parsed and applied (not merely found unchanged).
	Applied bool
}
