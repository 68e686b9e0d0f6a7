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

// CreateCalendar returns the meeting of a room's calendar slot [start, end], creating it (kind
// calendar, room settings snapshot, provider room ending at end) when the slot has none, so
// calling it again, from another worker or for another event of the same slot, never makes a
// second meeting.
//
// Creators of a room serialise on its row lock (FOR NO KEY UPDATE, which leaves the foreign-key
// checks of other inserts alone): only the first provisions a provider room, the others find
// its meeting. The unique index uq_meeting_calendar_slot backs the lock up: an insert that
// conflicts anyway (the lock bypassed) adopts the winner's meeting and queues the deletion of
// the provider room it made, as does any failure after provisioning.
func (s *Service) CreateCalendar(ctx context.Context, roomID, eventID uuid.UUID, start, end time.Time, metadata RawJSON) (uuid.UUID, error) {
	cs, ok := s.cfg.Store.(CalendarStore)
	if !ok {
		return uuid.Nil, errNoCalendarStore
	}
	cur, err := cs.MeetingCalendarBySlot(ctx, roomID, start, end)
	if err != nil {
		return uuid.Nil, fmt.Errorf("meeting.CreateCalendar room %s: %w", roomID, err)
	}
	if cur != nil { // the cheap path of every later tick
		return cur.ID, nil
	}
	c := calendarCreate{roomID: roomID, eventID: eventID, start: start.UTC(), end: end.UTC(), metadata: metadata}
	id, err := s.createCalendar(ctx, &c)
	if c.orphan != nil {
		s.deleteRoomLater(ctx, *c.orphan)
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("meeting.CreateCalendar room %s: %w", roomID, err)
	}
	if c.created {
		s.cfg.Observer.MeetingCreated(KindCalendar, c.platform)
	}
	return id, nil
}

// calendarCreate is one creation attempt; orphan is set to the meeting whose provider room
// was made but not kept.
type calendarCreate struct {
	roomID, eventID uuid.UUID
	start, end      time.Time
	metadata        RawJSON
	orphan          *Meeting
	created         bool   // this attempt inserted the meeting
	platform        string // of the inserted meeting
}

// createCalendar runs the slow path under the room row lock: re-check, provision, insert.
func (s *Service) createCalendar(ctx context.Context, c *calendarCreate) (uuid.UUID, error) {
	var (
		id          uuid.UUID
		provisioned *Meeting
		inserted    bool
	)
	err := s.cfg.Store.InTx(ctx, func(tx Store) error {
		cs, ok := tx.(CalendarStore)
		if !ok {
			return errNoCalendarStore
		}
		r, err := s.lockRoomByID(ctx, cs, c.roomID)
		if err != nil {
			return err
		}
		cur, err := cs.MeetingCalendarBySlot(ctx, c.roomID, c.start, c.end)
		if err != nil || cur != nil {
			id = idOf(cur)
			return err
		}
		m := s.calendarMeeting(r, c)
		if err := s.provision(ctx, r, &m, m.ID.String()); err != nil {
			return err
		}
		provisioned = &m
		if inserted, err = cs.MeetingCalendarInsert(ctx, m); err != nil || inserted {
			id = m.ID
			c.created, c.platform = err == nil, m.Platform
			if err != nil {
				return err
			}
			return tx.TimelineAppend(ctx, createdEvents(m, "calendar", "calendar", s.cfg.Now().UTC())...)
		}
		winner, err := cs.MeetingCalendarBySlot(ctx, c.roomID, c.start, c.end)
		if err == nil && winner == nil {
			err = errors.New("calendar slot conflicted but holds no meeting")
		}
		id = idOf(winner)
		return err
	})
	if provisioned != nil && (err != nil || !inserted) {
		c.orphan = provisioned
	}
	return id, err
}

func (s *Service) lockRoomByID(ctx context.Context, cs CalendarStore, id uuid.UUID) (room.Room, error) {
	if s.cfg.SafeguardsOff { // lets tests reach the unique-index backstop
		return cs.RoomByID(ctx, id)
	}
	return cs.RoomLockByID(ctx, id)
}

// calendarMeeting is the meeting of a calendar slot, with the room's settings of now.
func (s *Service) calendarMeeting(r room.Room, c *calendarCreate) Meeting {
	eventID := c.eventID
	return Meeting{
		ID: uuid.New(), RoomID: r.ID, Kind: KindCalendar, Platform: s.platformFor(r), StartDate: c.start,
		EndDate: c.end, IsLocked: r.IsLocked, RoomMode: r.RoomMode, RecordingType: r.RecordingType,
		RecordingTrigger: r.RecordingTrigger, IsActive: true, CalendarEventID: &eventID,
		CalendarMetadata: c.metadata, CreatedAt: s.cfg.Now().UTC(),
	}
}

func idOf(m *Meeting) uuid.UUID {
	if m == nil {
		return uuid.Nil
	}
	return m.ID
}
