package setup

import (
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// Schedule is the scheduler's periodic table for this configuration: the scheduler emits it
// and `reflectorctl run` accepts exactly its jobs.
func Schedule(cfg *config.Config) []tasks.Periodic {
	iv := tasks.Intervals{ProcessMeetings: cfg.Lifecycle.ProcessMeetingsInterval,
		ICSSync: cfg.Calendar.SyncTick, ICSCreateUpcoming: tasks.ICSCreateUpcomingEvery}
	RecordingIntervals(cfg, &iv)
	WebhookIntervals(cfg, &iv)
	PresenceIntervals(cfg, &iv)
	iv.RoomOrphanSweep = cfg.Lifecycle.RoomSweepInterval
	if cfg.Ops.HealthcheckURL != "" {
		iv.HealthcheckPing = tasks.HealthcheckEvery
	}
	return tasks.Schedule(iv)
}
