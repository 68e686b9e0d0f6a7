package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// ctl holds what the recording and task commands work on. main builds it from the
// environment the services run with; tests build it on a test database and Redis.
type ctl struct {
	store     store.RecordingStore
	recs      recordingOps // nil when recordings are not configured
	inspector *asynq.Inspector
	queue     tasks.Enqueuer
	table     []tasks.Periodic // the scheduler's table, for `run`
	out, errw io.Writer
	now       func() time.Time
	poll      time.Duration // `run --wait` polling period
}

// errNoRecordings is returned by commands that need the recording service when it is off.
var errNoRecordings = errors.New("recordings are not configured (set TRANSCRIPTION_URL and the TRANSCRIPT_STORAGE_AWS_* settings)")

// newCtl loads the configuration, connects to Postgres and Redis and builds the recording
// service as the worker does. The returned func releases them.
func newCtl(ctx context.Context) (*ctl, func(), error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	conn, err := setup.Connect(ctx, cfg, 4)
	if err != nil {
		return nil, nil, err
	}
	release := func() { _ = conn.Close() }
	db, client, inspector, platforms := conn.DB, conn.Queue, conn.Inspector, conn.Platforms
	c := &ctl{store: store.NewRecordingStore(db), inspector: inspector, queue: client,
		table: setup.Schedule(cfg), out: os.Stdout, errw: os.Stderr, now: time.Now, poll: 500 * time.Millisecond}
	rec, err := setup.NewRecording(ctx, cfg, setup.RecordingDeps{DB: db, Platforms: platforms, Queue: client,
		Inspector: inspector, Log: zap.NewNop(), Now: time.Now})
	if err != nil {
		release()
		return nil, nil, err
	}
	if rec != nil {
		c.recs = rec.Service
	}
	return c, release, nil
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

// ctlCmd runs one of the recording and task commands on a ctl built from the environment.
func ctlCmd(ctx context.Context, name string, args []string) error {
	c, release, err := newCtl(ctx)
	if err != nil {
		return err
	}
	defer release()
	return c.dispatch(ctx, name, args)
}

func (c *ctl) dispatch(ctx context.Context, name string, args []string) error {
	switch name {
	case "recordings":
		return c.recordingsCmd(ctx, args)
	case "reprocess":
		return c.reprocessCmd(ctx, args)
	case "tasks":
		return c.tasksCmd(ctx, args)
	case "run":
		return c.runCmd(ctx, args)
	}
	return fmt.Errorf("unknown command %q", name)
}
