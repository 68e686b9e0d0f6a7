package calendar

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// CalendarEventResponse is a stored event as the API serves it. Description and attendees
// are null for callers who do not own the room.
type CalendarEventResponse struct {
	ID          uuid.UUID  `json:"id"`
	RoomID      uuid.UUID  `json:"room_id"`
	ICSUID      string     `json:"ics_uid"`
	Title       *string    `json:"title"`
	Description *string    `json:"description"`
	StartTime   time.Time  `json:"start_time"`
	EndTime     time.Time  `json:"end_time"`
	Attendees   []Attendee `json:"attendees"`
	Location    *string    `json:"location"`
	LastSynced  time.Time  `json:"last_synced"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// ICSStatus is a room's calendar sync state as the API serves it. LastEtag is the content
// hash of the last feed applied, as in the original. LastSync is the last time the feed was
// applied or the sync state changed (an unchanged feed writes nothing); NextSync is the
// room's next slot boundary (NextSlot), reached by the first scheduler tick at or after it.
type ICSStatus struct {
	Status      string     `json:"status"` // enabled | disabled
	LastSync    *time.Time `json:"last_sync"`
	NextSync    *time.Time `json:"next_sync"`
	LastEtag    *string    `json:"last_etag"`
	EventsCount int        `json:"events_count"`
}

// roomEvents lists the room's non-deleted events by start time, past ones included; owner
// selects whether description and attendees are shown.
func (s *Service) roomEvents(ctx context.Context, roomID uuid.UUID, owner bool) ([]CalendarEventResponse, error) {
	events, err := s.store.CalendarEventsByRoom(ctx, roomID)
	if err != nil {
		return nil, fmt.Errorf("calendar.RoomEvents %s: %w", roomID, err)
	}
	return responses(events, owner), nil
}

// roomUpcoming lists the room's non-deleted events that start within minutesAhead and have
// not ended, ongoing ones included.
func (s *Service) roomUpcoming(ctx context.Context, roomID uuid.UUID, minutesAhead int, owner bool) ([]CalendarEventResponse, error) {
	now := s.now()
	until := now.Add(time.Duration(minutesAhead) * time.Minute)
	events, err := s.store.CalendarEventsUpcomingByRoom(ctx, roomID, now, until)
	if err != nil {
		return nil, fmt.Errorf("calendar.RoomUpcoming %s: %w", roomID, err)
	}
	return responses(events, owner), nil
}

// roomStatus reports the room's sync state. events_count counts every non-deleted event.
func (s *Service) roomStatus(ctx context.Context, roomID uuid.UUID) (ICSStatus, error) {
	room, err := s.store.RoomICS(ctx, roomID)
	if err != nil {
		return ICSStatus{}, fmt.Errorf("calendar.RoomStatus %s: %w", roomID, err)
	}
	n, err := s.store.CalendarEventsCountByRoom(ctx, roomID)
	if err != nil {
		return ICSStatus{}, fmt.Errorf("calendar.RoomStatus %s: %w", roomID, err)
	}
	st := ICSStatus{Status: "disabled", EventsCount: n, LastEtag: optional(room.LastHash)}
	if room.Enabled {
		st.Status = "enabled"
	}
	if room.LastSync != nil {
		last := room.LastSync.UTC()
		st.LastSync = &last
		if room.Enabled {
			next := NextSlot(room.ID, room.FetchInterval, s.now())
			st.NextSync = &next
		}
	}
	return st, nil
}

func responses(events []CalendarEvent, owner bool) []CalendarEventResponse {
	out := make([]CalendarEventResponse, len(events))
	for i, e := range events {
		out[i] = response(e, owner)
	}
	return out
}

func response(e CalendarEvent, owner bool) CalendarEventResponse {
	r := CalendarEventResponse{
		ID: e.ID, RoomID: e.RoomID, ICSUID: e.UID,
		Title: optional(e.Title), Location: optional(e.Location),
		StartTime: e.Start.UTC(), EndTime: e.End.UTC(),
		LastSynced: e.LastSynced.UTC(), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
	if owner {
		r.Description = optional(e.Description)
		r.Attendees = e.Attendees
	}
	return r
}
