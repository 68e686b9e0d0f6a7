package calendar

import (
	"context"
	"errors"

	"github.com/monadical/reflector-go/pkg/room"
)

// The owner-only calendar actions refuse other callers with these; each names the action, as
// the original's two texts do.
var (
	ErrSyncNotOwner   = errors.New("calendar: sync by a caller who does not own the room")
	ErrStatusNotOwner = errors.New("calendar: status read by a caller who does not own the room")
)

// The methods below are the calendar as a caller sees it: r is the room as the room service
// resolved it for userID (so a room the caller may not see never gets here), and these apply
// the owner rules. They are the only place those rules live.

// SyncFor runs r's sync now, not throttled by the fetch interval; only r's owner may.
func (s *Service) SyncFor(ctx context.Context, r room.Room, userID string) (SyncResult, error) {
	if !r.IsOwner(userID) {
		return SyncResult{}, ErrSyncNotOwner
	}
	return s.SyncRoom(ctx, r.ID, true)
}

// StatusFor reports r's sync state; only r's owner may read it (it tells when the private
// feed was fetched and what it held).
func (s *Service) StatusFor(ctx context.Context, r room.Room, userID string) (ICSStatus, error) {
	if !r.IsOwner(userID) {
		return ICSStatus{}, ErrStatusNotOwner
	}
	return s.roomStatus(ctx, r.ID)
}

// EventsFor lists r's non-deleted events by start time, past ones included. Description and
// attendees, which come from a private feed, are shown to r's owner only.
func (s *Service) EventsFor(ctx context.Context, r room.Room, userID string) ([]CalendarEventResponse, error) {
	return s.roomEvents(ctx, r.ID, r.IsOwner(userID))
}

// UpcomingFor lists r's events that start within minutesAhead and have not ended, ongoing ones
// included, redacted as EventsFor.
func (s *Service) UpcomingFor(ctx context.Context, r room.Room, userID string, minutesAhead int) ([]CalendarEventResponse, error) {
	return s.roomUpcoming(ctx, r.ID, minutesAhead, r.IsOwner(userID))
}
