package meeting

import (
	"context"
	"errors"
	"time"

	"github.com/monadical/reflector-go/pkg/room"
)

// Errors of the creation limits; httpapi answers both 429.
var (
	ErrTooManyCreates  = errors.New("Too many meetings created in this room, please retry later")
	ErrTooManyMeetings = errors.New("This room has too many active meetings")
)

// mayCreate applies the creation limits under the room lock, before a provider room is made:
// at most MaxExtraMeetings active extra meetings per room, and CreateLimiter's rate per room.
func (s *Service) mayCreate(ctx context.Context, tx Store, r room.Room, extra bool, now time.Time) error {
	if extra {
		active, err := tx.MeetingsActiveForRoom(ctx, r.ID, now)
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
	}
	if s.cfg.CreateLimiter == nil {
		return nil
	}
	if ok, _ := s.cfg.CreateLimiter.Allow(r.ID.String()); !ok {
		return ErrTooManyCreates
	}
	return nil
}
