package setup

import (
	"time"

	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/metrics"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// LifecycleDeps are the connections the meeting lifecycle runs on.
type LifecycleDeps struct {
	DB        *sqlx.DB
	Platforms meeting.Platforms
	Jobs      meeting.Jobs
	Log       *zap.Logger
	Metrics   *metrics.Metrics // nil: nothing is counted
}

// MeetingService is the one way to build the meeting service, for the binaries and the tests
// alike: every setting comes from cfg.Lifecycle, and a test changes one by editing the
// meeting.Config itself, so a setting can't be declared by a test and left unwired.
func MeetingService(cfg *config.Config, d LifecycleDeps, override ...func(*meeting.Config)) *meeting.Service {
	st := store.NewMeetingStore(d.DB)
	st.ObserveJoinBatches(d.Metrics.JoinBatch)
	c := meeting.Config{Store: st, Sessions: store.NewSessionStore(d.DB),
		Platforms: d.Platforms, Jobs: d.Jobs, Log: d.Log, Observer: d.Metrics,
		MeetingDuration: cfg.Lifecycle.MeetingDuration, IntentTTL: cfg.Lifecycle.IntentTTL,
		PresenceLag: cfg.Lifecycle.PresenceLag, MaxExtraMeetings: cfg.HTTP.MaxExtraMeetings,
		RoomMargin: cfg.Lifecycle.RoomSweepMargin, Policy: Policy(cfg)}
	for _, o := range override {
		o(&c)
	}
	return meeting.NewService(c)
}

// Processor is the one way to build process-meetings, like MeetingService.
func Processor(cfg *config.Config, d LifecycleDeps, override ...func(*meeting.ProcessorConfig)) *meeting.Processor {
	c := meeting.ProcessorConfig{Store: store.NewMeetingStore(d.DB), Jobs: d.Jobs, Log: d.Log, Observer: d.Metrics,
		Presence: presence.Reader{Platforms: d.Platforms, Log: d.Log, Concurrency: cfg.Lifecycle.PresenceConcurrency,
			Observer: d.Metrics},
		CalendarForceClose: cfg.Lifecycle.CalendarForceClose, MaxRequeues: cfg.DeadLetter.MaxRequeues}
	for _, o := range override {
		o(&c)
	}
	return meeting.NewProcessor(c)
}

// PresencePoller keeps a meeting's participant sessions in step with its provider room.
func PresencePoller(d LifecycleDeps) presence.Poller {
	return presence.Poller{Store: store.NewSessionStore(d.DB), Platforms: d.Platforms, Log: d.Log, Now: time.Now}
}

// Reconciler is presence:reconcile on the lifecycle's connections.
func Reconciler(d LifecycleDeps) presence.Reconciler {
	r := presence.Reconciler{Store: store.NewSessionStore(d.DB), Platforms: d.Platforms, Log: d.Log, Now: time.Now}
	if d.Metrics != nil {
		r.Observer = d.Metrics
	}
	return r
}

// PresenceIntervals adds presence:reconcile to the periodic table when Daily is configured
// (the provider with a domain-wide presence read; PRESENCE_RECONCILE_INTERVAL, 0 turns it off).
func PresenceIntervals(cfg *config.Config, iv *tasks.Intervals) {
	if cfg.Daily.APIKey != "" {
		iv.PresenceReconcile = cfg.Lifecycle.PresenceReconcileInterval
	}
}

// OrphanSweeper is the orphan provider room sweep, with the margin the API uses.
func OrphanSweeper(cfg *config.Config, d LifecycleDeps, platforms meeting.PlatformSet) meeting.OrphanSweeper {
	return meeting.OrphanSweeper{Store: store.NewMeetingStore(d.DB), Platforms: platforms, Log: d.Log,
		Now: time.Now, Margin: cfg.Lifecycle.RoomSweepMargin}
}
