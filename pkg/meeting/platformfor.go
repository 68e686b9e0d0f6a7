package meeting

import (
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/room"
)

// platformFor is the platform of a new meeting of r, chosen when the meeting is made (every
// path: ad-hoc, allow-duplicated, calendar): the selection policy's, so the migration flags
// move a listed room whose stored platform is another one. When the policy names a provider
// this deployment has no client for, the room's stored platform is kept.
func (s *Service) platformFor(r room.Room) string {
	p := s.cfg.Policy.ForMeeting(r.Platform, r.ID.String())
	if p == r.Platform {
		return p
	}
	if _, err := s.cfg.Platforms.Get(p); err != nil {
		s.cfg.Log.Warn("migration platform not configured, keeping the room's", zap.Stringer("room_id", r.ID),
			zap.String("platform", r.Platform), zap.String("policy", p))
		return r.Platform
	}
	return p
}
