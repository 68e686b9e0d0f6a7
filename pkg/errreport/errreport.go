// Package errreport sends the processes' error logs to Sentry when SENTRY_DSN is set. It is
// a zap core teed onto the process logger, so every path that already logs an error (a 5xx,
// a handler panic, a task that failed for good, a process that stops on an error) reports it,
// without a global hub. Events are scrubbed before they leave: URLs keep only their scheme
// and host (calendar feeds, signed recording URLs and webhook targets carry their secret in
// the path or query), and fields whose name says secret are dropped.
package errreport

import (
	"fmt"
	"time"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// flushTimeout bounds the wait for queued events when the process stops.
const flushTimeout = 2 * time.Second

// Options configure the reporter.
type Options struct {
	DSN         string // SENTRY_DSN; empty: nothing is reported
	Environment string // SENTRY_ENVIRONMENT
	Process     string // api, worker, scheduler: a tag on every event
	// Transport replaces Sentry's HTTP transport (tests).
	Transport sentry.Transport
}

// Reporter holds the Sentry hub of one process. A nil *Reporter reports nothing.
type Reporter struct{ hub *sentry.Hub }

// New builds the reporter; it returns nil, nil without a DSN.
func New(o Options) (*Reporter, error) {
	if o.DSN == "" {
		return nil, nil
	}
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn: o.DSN, Environment: o.Environment, Transport: o.Transport,
		BeforeSend: func(e *sentry.Event, _ *sentry.EventHint) *sentry.Event { return Scrub(e) },
		// No breadcrumbs (nor, by default, request data or user IPs): only what the core builds.
		MaxBreadcrumbs: -1,
	})
	if err != nil {
		return nil, fmt.Errorf("SENTRY_DSN: %w", err)
	}
	scope := sentry.NewScope()
	scope.SetTag("process", o.Process)
	return &Reporter{hub: sentry.NewHub(client, scope)}, nil
}

// Wrap returns log teed to the reporter: entries at error level and above become events.
func (r *Reporter) Wrap(log *zap.Logger) *zap.Logger {
	if r == nil {
		return log
	}
	return log.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		return zapcore.NewTee(c, &core{hub: r.hub})
	}))
}

// Flush waits (a little) for the queued events; call it before the process exits.
func (r *Reporter) Flush() {
	if r != nil {
		r.hub.Flush(flushTimeout)
	}
}

// core turns error log entries into Sentry events.
type core struct {
	hub    *sentry.Hub
	fields []zapcore.Field
}

func (c *core) Enabled(l zapcore.Level) bool { return l >= zapcore.ErrorLevel }

func (c *core) With(fields []zapcore.Field) zapcore.Core {
	return &core{hub: c.hub, fields: append(append([]zapcore.Field{}, c.fields...), fields...)}
}

func (c *core) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *core) Write(e zapcore.Entry, fields []zapcore.Field) error {
	c.hub.CaptureEvent(event(e, append(append([]zapcore.Field{}, c.fields...), fields...)))
	if e.Level > zapcore.ErrorLevel { // panic and fatal entries end the process next
		c.hub.Flush(flushTimeout)
	}
	return nil
}

func (c *core) Sync() error {
	c.hub.Flush(flushTimeout)
	return nil
}

// event builds the Sentry event of a log entry: the message, the error as the exception,
// the other fields as extra data and a few as tags.
func event(e zapcore.Entry, fields []zapcore.Field) *sentry.Event {
	ev := sentry.NewEvent()
	ev.Level = sentry.LevelError
	if e.Level > zapcore.ErrorLevel {
		ev.Level = sentry.LevelFatal
	}
	ev.Message, ev.Logger, ev.Timestamp = e.Message, e.LoggerName, e.Time
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range fields {
		if f.Type == zapcore.ErrorType {
			if err, ok := f.Interface.(error); ok {
				ev.Exception = append(ev.Exception, sentry.Exception{Type: fmt.Sprintf("%T", err), Value: err.Error()})
				continue
			}
		}
		f.AddTo(enc)
	}
	ev.Contexts = map[string]sentry.Context{"fields": enc.Fields}
	ev.Tags = map[string]string{}
	for _, k := range []string{"process", "request_id", "task", "type", "meeting_id", "room_id"} {
		if v, ok := enc.Fields[k].(string); ok {
			ev.Tags[k] = v
		}
	}
	// Group by the log message, not by the error text that carries ids.
	ev.Fingerprint = []string{e.Message}
	return ev
}
