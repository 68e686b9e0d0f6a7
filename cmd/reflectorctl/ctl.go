package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// ctl holds what the recording, task and webhook commands work on. newCtl builds only the
// parts a verb uses; tests build it on a test database and Redis.
type ctl struct {
	store     store.RecordingStore
	recs      recordingOps // nil when recordings are not configured
	inbox     webhookInbox
	meetings  *meeting.Service
	inspector *asynq.Inspector
	queue     tasks.Enqueuer
	table     []tasks.Periodic   // the scheduler's table, for `run`
	db        *sqlx.DB           // rooms and presence read it
	platforms *platform.Registry // the configured providers (none: empty)
	daily     dailyWebhookAdmin  // Daily's webhook API (usesDaily)
	// dailySecret is DAILY_WEBHOOK_SECRET, which `webhooks daily register` signs with.
	dailySecret string
	out, errw   io.Writer
	now         func() time.Time
	poll        time.Duration // `run --wait` polling period
}

// uses lists the parts of a ctl a verb works on.
type uses uint8

const (
	usesDB         uses = 1 << iota // c.store
	usesQueue                       // c.inspector, c.queue
	usesRecordings                  // c.recs (and the database and queue it writes to)
	usesSchedule                    // c.table
	usesInbox                       // c.inbox
	usesMeetings                    // c.meetings (reads; ends also need the queue)
	usesDaily                       // c.daily, c.dailySecret (DAILY_API_KEY)
)

// needs are the settings the parts require.
func (u uses) needs() config.Need {
	var n config.Need
	if u&(usesDB|usesRecordings|usesInbox|usesMeetings) != 0 {
		n |= config.NeedDatabase
	}
	if u&(usesQueue|usesRecordings|usesInbox|usesSchedule) != 0 {
		n |= config.NeedRedis
	}
	return n
}

// errNoRecordings is returned by commands that need the recording service when it is off.
var errNoRecordings = errors.New("recordings are not configured (set TRANSCRIPTION_URL and the TRANSCRIPT_STORAGE_AWS_* settings)")

// newCtl loads the settings the parts in u need and connects to what they use. The returned
// func releases the connections.
func (a *app) newCtl(ctx context.Context, u uses) (*ctl, func(), error) {
	cfg, err := config.LoadFor(a.getenv, u.needs())
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	c := &ctl{out: a.out, errw: a.errw, now: time.Now, poll: 500 * time.Millisecond, dailySecret: cfg.Daily.WebhookSecret}
	if u&usesDaily != 0 && cfg.Daily.APIKey == "" {
		return nil, nil, errors.New("config: DAILY_API_KEY: required")
	}
	var closers []func() error
	release := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			_ = closers[i]()
		}
	}
	if err := c.connect(ctx, cfg, u, &closers); err != nil {
		release()
		return nil, nil, err
	}
	return c, release, nil
}

// connect opens the database and Redis when u needs them and builds the parts on them.
func (c *ctl) connect(ctx context.Context, cfg *config.Config, u uses, closers *[]func() error) error {
	var db *sqlx.DB
	if u.needs()&config.NeedDatabase != 0 {
		var err error
		if db, err = store.Open(ctx, cfg.DatabaseURL, 4); err != nil {
			return err
		}
		*closers = append(*closers, db.Close)
		c.store, c.db = store.NewRecordingStore(db), db
	}
	if u.needs()&config.NeedRedis != 0 {
		opt, err := setup.RedisOpt(cfg.RedisURL)
		if err != nil {
			return err
		}
		client, inspector := asynq.NewClient(opt), asynq.NewInspector(opt)
		*closers = append(*closers, client.Close, inspector.Close)
		c.queue, c.inspector = client, inspector
	}
	c.table = setup.Schedule(cfg)
	platforms := configuredPlatforms(cfg)
	c.platforms = platforms
	if dc, err := platforms.Get(platform.Daily); err == nil {
		c.daily, _ = dc.(dailyWebhookAdmin)
	}
	if u&usesInbox != 0 {
		c.inbox = setup.Webhooks(db, platforms, c.queue, nil, zap.NewNop(), 0)
	}
	if u&usesMeetings != 0 {
		lc := setup.LifecycleDeps{DB: db, Platforms: platforms, Log: zap.NewNop()}
		if c.queue != nil {
			lc.Jobs = tasks.Jobs{Q: c.queue}
		}
		c.meetings = setup.MeetingService(cfg, lc)
	}
	if u&usesRecordings == 0 {
		return nil
	}
	rec, err := setup.NewRecording(ctx, cfg, setup.RecordingDeps{DB: db, Platforms: platforms, Queue: c.queue,
		Inspector: c.inspector, Log: zap.NewNop(), Now: time.Now})
	if err != nil {
		return err
	}
	if rec != nil {
		c.recs = rec.Service
	}
	return nil
}

// configuredPlatforms registers the providers that have credentials; none is not an error
// for the CLI, whose verbs mostly read our own tables.
func configuredPlatforms(cfg *config.Config) *platform.Registry {
	reg, err := setup.Platforms(cfg)
	if err != nil {
		return platform.NewRegistry()
	}
	return reg
}

// tw starts an aligned table on the command's output; call Flush when done.
func (c *ctl) tw() *tabwriter.Writer {
	return tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
}

// progress prints a counter line on stderr, rewritten in place, for long operations.
type progress struct {
	w     io.Writer
	label string
	n     int
	total int // 0 when unknown
}

func (p *progress) step(k int) {
	p.n += k
	if p.total > 0 {
		fmt.Fprintf(p.w, "\r%s %d/%d", p.label, p.n, p.total)
		return
	}
	fmt.Fprintf(p.w, "\r%s %d", p.label, p.n)
}

func (p *progress) done() {
	if p.n > 0 {
		fmt.Fprintln(p.w)
	}
}
