package meeting

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/lease"
)

// requeueDelete restarts a pending provider room delete once per RoomDeleteLease, counting
// the restarts; after MaxRequeues the delete is parked (visible in the timeline and the
// dead-letter gauge) instead of being queued every minute until the 24-hour window closes.
func (p *Processor) requeueDelete(ctx context.Context, m Meeting, now time.Time) {
	out, err := p.cfg.Store.MeetingRoomDeleteRequeue(ctx, m.ID, now.Add(-p.cfg.RoomDeleteLease), now, p.cfg.MaxRequeues)
	switch {
	case err != nil:
		p.cfg.Log.Warn("claim provider room delete; the sweep retries", LogFields(m, zap.Error(err))...)
	case out == lease.Dead:
		p.cfg.Log.Error("provider room delete dead-lettered by the sweep", LogFields(m, zap.Int("max_requeues", p.cfg.MaxRequeues))...)
	case out == lease.Restart:
		p.deleteLater(ctx, m)
	}
}
