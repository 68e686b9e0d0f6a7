package calendar

import (
	"errors"
	"time"

	"go.uber.org/zap"
)

// Config holds the service's dependencies and knobs. Zero durations take the defaults.
type Config struct {
	Store    Store
	Fetcher  Fetcher
	Meetings MeetingCreator
	// BaseURL is UI_BASE_URL: events name a room as BaseURL + "/" + room name.
	BaseURL string
	// Lookbehind and Lookahead bound the event start times a sync keeps around now
	// (default 1 h and 24 h, as the original).
	Lookbehind time.Duration
	Lookahead  time.Duration
	// MeetingLead is how long before its start an event gets its meeting (default 7 min);
	// MeetingGrace how long after its start it still gets one (default 6 min).
	MeetingLead  time.Duration
	MeetingGrace time.Duration
	// SyncTick is the period of the scheduler's sync fan-out (ICS_SYNC_TICK, default 60 s):
	// a room is due at the tick in which a new slot of its fetch interval begins.
	SyncTick time.Duration
	Logger   *zap.Logger
	Now      func() time.Time
}

// Service syncs room calendars and creates their scheduled meetings.
type Service struct {
	store    Store
	fetcher  Fetcher
	meetings MeetingCreator
	cfg      Config
	log      *zap.Logger
	now      func() time.Time
}

// NewService checks cfg and builds the service.
func NewService(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Fetcher == nil || cfg.Meetings == nil {
		return nil, errors.New("calendar.NewService: Store, Fetcher and Meetings are required")
	}
	if cfg.BaseURL == "" {
		return nil, errors.New("calendar.NewService: BaseURL (UI_BASE_URL) is required")
	}
	cfg = cfg.withDefaults()
	return &Service{
		store:    cfg.Store,
		fetcher:  cfg.Fetcher,
		meetings: cfg.Meetings,
		cfg:      cfg,
		log:      cfg.Logger.Named("calendar"),
		now:      cfg.Now,
	}, nil
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Lookbehind, time.Hour)
	def(&c.Lookahead, 24*time.Hour)
	def(&c.MeetingLead, 7*time.Minute)
	def(&c.MeetingGrace, 6*time.Minute)
	def(&c.SyncTick, time.Minute)
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// window is the span of event starts a sync at now keeps.
func (s *Service) window(now time.Time) Window {
	return Window{From: now.Add(-s.cfg.Lookbehind), To: now.Add(s.cfg.Lookahead)}
}
