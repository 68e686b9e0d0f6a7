// Package errreporttest is a Sentry transport that keeps events for tests to inspect.
package errreporttest

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/getsentry/sentry-go"
)

// DSN is a well-formed DSN that the Transport never contacts.
const DSN = "https://public@sentry.example/1"

// Transport keeps the events instead of sending them.
type Transport struct {
	mu     sync.Mutex
	events []*sentry.Event
}

// Configure implements sentry.Transport.
func (f *Transport) Configure(sentry.ClientOptions) {}

// Flush implements sentry.Transport.
func (f *Transport) Flush(time.Duration) bool { return true }

// FlushWithContext implements sentry.Transport.
func (f *Transport) FlushWithContext(context.Context) bool { return true }

// Close implements sentry.Transport.
func (f *Transport) Close() {}

// SendEvent implements sentry.Transport.
func (f *Transport) SendEvent(e *sentry.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, e)
}

// Sent returns the events so far as the JSON Sentry would receive.
func (f *Transport) Sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.events))
	for _, e := range f.events {
		b, err := json.Marshal(e)
		if err != nil {
			b = []byte(err.Error())
		}
		out = append(out, string(b))
	}
	return out
}
