package meeting

import (
	"context"
	"errors"
	"time"

	"github.com/monadical/reflector-go/pkg/room"
)

// Errors of the creation limits; httpapi answers both 429.
var (
	ErrTooManyCreates  = errors.New("meeting: too many creates in the room")
	ErrTooManyMeetings = errors.New("meeting: too many active meetings in the room")
)

// allowCreate applies CreateLimiter's rate per room, before a provider room is made.
func (s *Service) allowCreate(r room.Room) error {
	if s.cfg.CreateLimiter == nil {
		return nil
	}
	if ok, _ := s.cfg.CreateLimiter.Allow(r.ID.String()); !ok {
		return ErrTooManyCreates
	}
	return nil
}

// extraCapped refuses an extra meeting once the room has MaxExtraMeetings active ones. It is
// asked before the provider call (to spare it) and again under the room lock (to be exact).
func (s *Service) extraCapped(ctx context.Context, st Store, r room.Room, now time.Time) error {
	active, err := st.MeetingsActiveForRoom(ctx, r.ID, now)
	if err != nil {
		return err
	}
	n := 0
	for _, m := range active {
		if m.Kind == KindExtra {
			n++
		}
	}
	if n >= s.cfg.MaxExtraMeetings {
		return ErrTooManyMeetings
	}
	return nil
}
