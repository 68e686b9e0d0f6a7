package meeting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/room"
)

// CalendarStore is the persistence of calendar meetings. The adapter behind Config.Store
// implements it too; CreateCalendar finds it by type assertion, so Store stays as small as
// the ad-hoc lifecycle needs.
type CalendarStore interface {
	// RoomLockByID returns the room and holds a lock on its row that serialises calendar
	// meeting creators (and ad-hoc creators) but not foreign-key checks, until the
	// transaction ends; room.ErrNotFound if absent.
	RoomLockByID(ctx context.Context, id uuid.UUID) (room.Room, error)
	// RoomByID returns the room without locking it; room.ErrNotFound if absent.
	RoomByID(ctx context.Context, id uuid.UUID) (room.Room, error)
	// MeetingCalendarBySlot returns the room's calendar meeting of the slot [start, end],
	// active or not, or nil.
	MeetingCalendarBySlot(ctx context.Context, roomID uuid.UUID, start, end time.Time) (*Meeting, error)
	// MeetingCalendarInsert inserts a calendar meeting unless the slot already has one (the
	// unique index uq_meeting_calendar_slot); inserted is false in that case.
	MeetingCalendarInsert(ctx context.Context, m Meeting) (inserted bool, err error)
}

// errNoCalendarStore reports wiring that gave the service a store without calendar support.
var errNoCalendarStore = errors.New("meeting: the store does not implement CalendarStore")

// How a calendar meeting is created without holding a lock during the provider call (as an
// ad-hoc one is, see create.go):
//
//  1. Outside any transaction, create-or-adopt the provider room under CalendarKey: the slot
//     and the naming epoch, so every creator of the slot, in any process, names the same
//     provider room (and within a process they share one call: flights).
//  2. In a short transaction holding the room row lock (FOR NO KEY UPDATE, which leaves the
//     foreign-key checks of other inserts alone), re-check the slot: a meeting it got
//     meanwhile is kept (our provider room is discarded if it is another one: the slot is
//     taken for good, so no creator will name ours again); a provider room that may already
//     look orphaned to the sweep is left to the sweep; else the meeting is inserted. The
//     unique index uq_meeting_calendar_slot backs the lock up.
//
// A crash between 1 and 2 leaves an unused provider room: the next creator of the slot in the
// same epoch adopts it, and otherwise the orphan sweep deletes it.

// CreateCalendar returns the meeting of a room's calendar slot [start, end], creating it (kind
// calendar, room settings snapshot, provider room ending at end) when the slot has none, so
// calling it again, from another worker or for another event of the same slot, never makes a
// second meeting.
func (s *Service) CreateCalendar(ctx context.Context, roomID, eventID uuid.UUID, start, end time.Time, metadata RawJSON) (uuid.UUID, error) {
	cs, ok := s.cfg.Store.(CalendarStore)
	if !ok {
		return uuid.Nil, errNoCalendarStore
	}
	c := calendarCreate{roomID: roomID, eventID: eventID, start: start.UTC(), end: end.UTC(), metadata: metadata}
	for range maxCreateAttempts {
		cur, err := cs.MeetingCalendarBySlot(ctx, roomID, c.start, c.end)
		if err != nil {
			return uuid.Nil, fmt.Errorf("meeting.CreateCalendar room %s: %w", roomID, err)
		}
		if cur != nil { // the cheap path of every later tick
			return cur.ID, nil
		}
		e := s.epoch(s.cfg.Now())
		key := CalendarKey(roomID, c.start, c.end, e)
		if err := s.flights.do(ctx, key, func(ctx context.Context) error { return s.createCalendar(ctx, cs, c, key, e) }); err != nil {
			return uuid.Nil, fmt.Errorf("meeting.CreateCalendar room %s: %w", roomID, err)
		}
	}
	return uuid.Nil, fmt.Errorf("meeting.CreateCalendar room %s: %w", roomID, ErrCreateInProgress)
}

// CalendarKey is the provider key of a calendar slot's room in naming epoch e.
func CalendarKey(roomID uuid.UUID, start, end time.Time, e int64) string {
	slot := uuid.NewSHA1(roomID, fmt.Appendf(nil, "calendar/%s/%s", start.UTC().Format(time.RFC3339Nano), end.UTC().Format(time.RFC3339Nano)))
	return fmt.Sprintf("%s/%d", slot, e)
}

// calendarCreate is the slot a creation is for.
type calendarCreate struct {
	roomID, eventID uuid.UUID
	start, end      time.Time
	metadata        RawJSON
}

// calendarOutcome is what the locked step of createCalendar settled on.
type calendarOutcome struct {
	orphan   *Meeting // a meeting whose provider room was made but will not be kept
	inserted bool
}

// createCalendar provisions the slot's provider room, then settles under the room lock. It
// returns nil when the caller should look at the slot again.
func (s *Service) createCalendar(ctx context.Context, cs CalendarStore, c calendarCreate, key string, epoch int64) error {
	// Look again: a flight of this process that committed the meeting and finished after the
	// caller's read is visible now, so a process makes one provider call per slot.
	if cur, err := cs.MeetingCalendarBySlot(ctx, c.roomID, c.start, c.end); err != nil || cur != nil {
		return err
	}
	r, err := cs.RoomByID(ctx, c.roomID)
	if err != nil {
		return err
	}
	m := s.calendarMeeting(r, c)
	if err := s.provision(ctx, r, &m, key); err != nil {
		return err
	}
	var o calendarOutcome
	err = s.cfg.Store.InTx(ctx, func(tx Store) error {
		o = calendarOutcome{}
		return s.settleCalendar(ctx, tx, c, m, epoch, &o)
	})
	if err != nil { // a crash here is the same: the room is adopted or swept
		return err
	}
	if o.inserted {
		s.cfg.Observer.MeetingCreated(KindCalendar, m.Platform)
	}
	if o.orphan != nil {
		s.discard(ctx, *o.orphan)
	}
	return nil
}

// settleCalendar is createCalendar's step under the room lock.
func (s *Service) settleCalendar(ctx context.Context, tx Store, c calendarCreate, m Meeting, epoch int64, o *calendarOutcome) error {
	cs, ok := tx.(CalendarStore)
	if !ok {
		return errNoCalendarStore
	}
	if _, err := s.lockRoomByID(ctx, cs, c.roomID); err != nil {
		return err
	}
	cur, err := cs.MeetingCalendarBySlot(ctx, c.roomID, c.start, c.end)
	if err != nil {
		return err
	}
	if cur == nil && s.stale(epoch) {
		// The sweep may take the room any time now: never hand it out. Never delete it here
		// either: a creator whose clock runs behind ours may still adopt it and commit; the
		// sweep deletes it past the margin if no meeting names it.
		return nil
	}
	if cur == nil {
		if o.inserted, err = cs.MeetingCalendarInsert(ctx, m); err != nil || o.inserted {
			if err != nil {
				return err
			}
			return tx.TimelineAppend(ctx, createdEvents(m, "calendar", "calendar", s.cfg.Now().UTC())...)
		}
		// Lost to an insert that bypassed the lock: its meeting holds the slot.
		if cur, err = cs.MeetingCalendarBySlot(ctx, c.roomID, c.start, c.end); err != nil {
			return err
		}
		if cur == nil {
			return errors.New("calendar slot conflicted but holds no meeting")
		}
	}
	if cur.RoomName != m.RoomName {
		o.orphan = &m
	}
	return nil
}

func (s *Service) lockRoomByID(ctx context.Context, cs CalendarStore, id uuid.UUID) (room.Room, error) {
	if s.cfg.SafeguardsOff { // lets tests reach the unique-index backstop
		return cs.RoomByID(ctx, id)
	}
	return cs.RoomLockByID(ctx, id)
}

// calendarMeeting is the meeting of a calendar slot, with the room's settings of now.
func (s *Service) calendarMeeting(r room.Room, c calendarCreate) Meeting {
	eventID := c.eventID
	return Meeting{
		ID: uuid.New(), RoomID: r.ID, Kind: KindCalendar, Platform: s.platformFor(r), StartDate: c.start,
		EndDate: c.end, IsLocked: r.IsLocked, RoomMode: r.RoomMode, RecordingType: r.RecordingType,
		RecordingTrigger: r.RecordingTrigger, IsActive: true, CalendarEventID: &eventID,
		CalendarMetadata: c.metadata, CreatedAt: s.cfg.Now().UTC(),
	}
}
