package calendar

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// slot is one calendar slot of a room: the events (UIDs) that share its start and end.
type slot struct {
	roomID uuid.UUID
	start  time.Time
	end    time.Time
	events []CalendarEvent
}

// CreateUpcoming makes sure every event starting within MeetingLead (and up to MeetingGrace
// ago) has a meeting: one per (room, start, end) slot whatever the number of UIDs, every
// event of the slot linked to it. All-day events never get one. A slot that fails is logged
// and retried on the next call; the others go on.
func (s *Service) CreateUpcoming(ctx context.Context) error {
	now := s.now()
	events, err := s.store.CalendarEventsNeedingMeeting(ctx, now.Add(-s.cfg.MeetingGrace), now.Add(s.cfg.MeetingLead), now)
	if err != nil {
		return fmt.Errorf("calendar.CreateUpcoming: %w", err)
	}
	var errs []error
	for _, sl := range groupSlots(events) {
		if err := s.createSlotMeeting(ctx, sl); err != nil {
			s.log.Warn("calendar meeting not created", zap.Stringer("room_id", sl.roomID),
				zap.Time("start", sl.start), zap.Time("end", sl.end), zap.Error(err))
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("calendar.CreateUpcoming: %w", err)
	}
	return nil
}

// groupSlots groups events ordered by room, start and end into slots.
func groupSlots(events []CalendarEvent) []slot {
	var out []slot
	for _, e := range events {
		n := len(out)
		if n > 0 && out[n-1].roomID == e.RoomID && out[n-1].start.Equal(e.Start) && out[n-1].end.Equal(e.End) {
			out[n-1].events = append(out[n-1].events, e)
			continue
		}
		out = append(out, slot{roomID: e.RoomID, start: e.Start, end: e.End, events: []CalendarEvent{e}})
	}
	return out
}

// createSlotMeeting gets the slot's meeting from the MeetingCreator (which returns the
// existing one if another worker or an earlier tick made it) and links the slot's events.
func (s *Service) createSlotMeeting(ctx context.Context, sl slot) error {
	first := sl.events[0]
	meetingID, err := s.meetings.CreateCalendarMeeting(ctx, CalendarMeetingRequest{
		RoomID:          sl.roomID,
		CalendarEventID: first.ID,
		Start:           sl.start,
		End:             sl.end,
		Metadata:        metadata(first),
	})
	if err != nil {
		return fmt.Errorf("room %s slot %s: create meeting: %w", sl.roomID, sl.start.Format(time.RFC3339), err)
	}
	ids := make([]uuid.UUID, len(sl.events))
	for i, e := range sl.events {
		ids[i] = e.ID
	}
	linked, err := s.store.CalendarEventsLinkMeeting(ctx, ids, meetingID, sl.start, sl.end)
	if err != nil {
		return fmt.Errorf("room %s slot %s: link meeting %s: %w", sl.roomID, sl.start.Format(time.RFC3339), meetingID, err)
	}
	s.log.Info("calendar meeting ready", zap.Stringer("room_id", sl.roomID), zap.Stringer("meeting_id", meetingID),
		zap.Time("start", sl.start), zap.Int("events", len(ids)), zap.Int("linked", linked))
	return nil
}

// metadata is what the meeting keeps of its event, as the original's calendar_metadata.
func metadata(e CalendarEvent) CalendarMetadata {
	return CalendarMetadata{Title: optional(e.Title), Description: optional(e.Description), Attendees: e.Attendees}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
