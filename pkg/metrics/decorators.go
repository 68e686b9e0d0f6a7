package metrics

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// WebhookReceiver is the inbox's receiving side (webhook.Service, httpapi.WebhookReceiver).
type WebhookReceiver interface {
	Receive(ctx context.Context, provider string, h http.Header, body []byte) (webhook.Ack, error)
}

// Receiver counts deliveries received and rejected around next.
func (m *Metrics) Receiver(next WebhookReceiver) WebhookReceiver {
	if m == nil {
		return next
	}
	return receiver{next, m}
}

type receiver struct {
	next WebhookReceiver
	m    *Metrics
}

func (r receiver) Receive(ctx context.Context, provider string, h http.Header, body []byte) (webhook.Ack, error) {
	ack, err := r.next.Receive(ctx, provider, h, body)
	switch {
	case errors.Is(err, webhook.ErrBadSignature):
		r.m.webhooksRejected.WithLabelValues(provider, "signature").Inc()
	case errors.Is(err, webhook.ErrMalformed):
		r.m.webhooksRejected.WithLabelValues(provider, "malformed").Inc()
	case err != nil:
		r.m.webhooksRejected.WithLabelValues(provider, "error").Inc()
	case ack.Handshake:
		r.m.webhooksReceived.WithLabelValues(provider, "handshake").Inc()
	case ack.Duplicate:
		r.m.webhooksReceived.WithLabelValues(provider, "duplicate").Inc()
	default:
		r.m.webhooksReceived.WithLabelValues(provider, "stored").Inc()
	}
	return ack, err
}

// Inbox counts processed inbox rows around next.
func (m *Metrics) Inbox(next tasks.WebhookInbox) tasks.WebhookInbox {
	if m == nil || next == nil {
		return next
	}
	return inbox{next, m}
}

type inbox struct {
	tasks.WebhookInbox
	m *Metrics
}

func (i inbox) Process(ctx context.Context, id int64) error {
	err := i.WebhookInbox.Process(ctx, id)
	o := outcome(err)
	if errors.Is(err, webhook.ErrDead) {
		o = "dead"
	}
	i.m.webhooksProcessed.WithLabelValues(o).Inc()
	return err
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// WebhookHealth records the number of FAILED Daily webhooks each check finds.
func (m *Metrics) WebhookHealth(next tasks.WebhookHealthChecker) tasks.WebhookHealthChecker {
	if m == nil || next == nil {
		return next
	}
	return health{next, m}
}

type health struct {
	next tasks.WebhookHealthChecker
	m    *Metrics
}

func (h health) Check(ctx context.Context) (webhook.HealthResult, error) {
	res, err := h.next.Check(ctx)
	if err == nil || res.Checked > 0 {
		// Re-activated webhooks count: they were FAILED, and events were lost meanwhile.
		h.m.dailyHooksFailed.Set(float64(res.Failed - res.Reactivated))
	}
	return res, err
}

// Calendar counts ICS syncs by outcome around next.
func (m *Metrics) Calendar(next tasks.CalendarSyncer) tasks.CalendarSyncer {
	if m == nil || next == nil {
		return next
	}
	return syncer{next, m}
}

type syncer struct {
	tasks.CalendarSyncer
	m *Metrics
}

func (s syncer) SyncRoom(ctx context.Context, roomID uuid.UUID, force bool) (calendar.SyncResult, error) {
	res, err := s.CalendarSyncer.SyncRoom(ctx, roomID, force)
	o := string(res.Status)
	if err != nil || o == "" {
		o = "error"
	}
	s.m.calendarSyncs.WithLabelValues(o).Inc()
	return res, err
}

// Recordings records the ledger's count of meetings missing a recording around next.
func (m *Metrics) Recordings(next tasks.Recordings) tasks.Recordings {
	if m == nil || next == nil {
		return next
	}
	return recordings{next, m}
}

type recordings struct {
	tasks.Recordings
	m *Metrics
}

func (r recordings) MissingRecordings(ctx context.Context, now time.Time) ([]recording.MissingRecording, error) {
	missing, err := r.Recordings.MissingRecordings(ctx, now)
	if err == nil {
		r.m.recordingsMissing.Set(float64(len(missing)))
	}
	return missing, err
}
