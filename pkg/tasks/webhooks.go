package tasks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/webhook"
)

// Webhook task types.
const (
	TypeWebhookProcess = "webhook:process"
	TypeWebhookSweep   = "webhook:sweep"  // periodic: re-enqueue unprocessed inbox rows
	TypeWebhookHealth  = "webhook:health" // periodic: re-activate FAILED Daily webhooks
)

// WebhookProcessPayload names one webhook_event row.
type WebhookProcessPayload struct {
	ID int64 `json:"id"`
}

// NewWebhookProcessTask processes one inbox row. Its id is the row's, so a duplicate
// delivery, the sweep or a second api replica cannot queue it twice while it is pending,
// running or archived; completed tasks are not retained (the row's processed_at says it).
func NewWebhookProcessTask(id int64) (*asynq.Task, error) {
	return newTask(TypeWebhookProcess, WebhookProcessPayload{ID: id},
		asynq.TaskID(webhookTaskID(id)), asynq.MaxRetry(10), asynq.Queue(QueueCritical))
}

func webhookTaskID(id int64) string { return TypeWebhookProcess + ":" + strconv.FormatInt(id, 10) }

// ProcessWebhook queues the processing of an inbox row (idempotent by row id).
func (j Jobs) ProcessWebhook(ctx context.Context, id int64) error {
	t, err := NewWebhookProcessTask(id)
	return j.enqueue(ctx, t, err)
}

// ReplayWebhook queues a fresh processing task for a row, under a new id, so that an archived
// or retained task of the row does not block an operator's replay.
func (j Jobs) ReplayWebhook(ctx context.Context, id int64) error {
	t, err := newTask(TypeWebhookProcess, WebhookProcessPayload{ID: id},
		asynq.TaskID(fmt.Sprintf("%s:replay:%d", webhookTaskID(id), time.Now().UnixNano())),
		asynq.MaxRetry(10), asynq.Queue(QueueCritical))
	return j.enqueue(ctx, t, err)
}

// WebhookInbox processes and sweeps the webhook inbox (webhook.Service).
type WebhookInbox interface {
	Process(ctx context.Context, id int64) error
	Sweep(ctx context.Context) (int, error)
}

// WebhookProcessHandler runs webhook:process.
type WebhookProcessHandler struct{ Inbox WebhookInbox }

// ProcessTask implements asynq.Handler. A row that no longer exists cannot be processed, and
// a dead-lettered one waits for a replay: neither is retried.
func (h WebhookProcessHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p WebhookProcessPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	if h.Inbox == nil {
		return fmt.Errorf("webhook:process: no inbox configured: %w", asynq.SkipRetry)
	}
	err := h.Inbox.Process(ctx, p.ID)
	if errors.Is(err, webhook.ErrEventNotFound) || errors.Is(err, webhook.ErrDead) {
		return fmt.Errorf("webhook:process %d: %w: %w", p.ID, err, asynq.SkipRetry)
	}
	return err
}

// WebhookSweepHandler runs webhook:sweep.
type WebhookSweepHandler struct{ Inbox WebhookInbox }

// ProcessTask implements asynq.Handler.
func (h WebhookSweepHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	if h.Inbox == nil {
		return nil
	}
	_, err := h.Inbox.Sweep(ctx)
	return err
}

// WebhookHealthChecker checks the providers' webhook state (webhook.Health).
type WebhookHealthChecker interface {
	Check(ctx context.Context) (webhook.HealthResult, error)
}

// WebhookHealthHandler runs webhook:health.
type WebhookHealthHandler struct {
	Checker WebhookHealthChecker
	Log     *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h WebhookHealthHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	if h.Checker == nil {
		return nil
	}
	res, err := h.Checker.Check(ctx)
	if h.Log != nil {
		h.Log.Debug("webhook health", zap.Int("checked", res.Checked), zap.Int("failed", res.Failed),
			zap.Int("reactivated", res.Reactivated))
	}
	return err
}

func registerWebhooks(mux *asynq.ServeMux, d Deps) {
	if d.Webhooks != nil {
		mux.Handle(TypeWebhookProcess, WebhookProcessHandler{Inbox: d.Webhooks})
		mux.Handle(TypeWebhookSweep, WebhookSweepHandler{Inbox: d.Webhooks})
	}
	if d.WebhookHealth != nil {
		mux.Handle(TypeWebhookHealth, WebhookHealthHandler{Checker: d.WebhookHealth, Log: d.Log})
	}
}

// webhookPeriodic is the webhook part of the periodic table. The sweep is its own job (not a
// step of process-meetings) so that a slow inbox never delays meeting deactivation.
func webhookPeriodic(iv Intervals) []Periodic {
	var out []Periodic
	if iv.WebhookSweep > 0 {
		out = append(out, Periodic{Type: TypeWebhookSweep, Every: iv.WebhookSweep, Queue: QueueDefault,
			Timeout: time.Minute, MaxRetry: 0})
	}
	if iv.WebhookHealth > 0 {
		out = append(out, Periodic{Type: TypeWebhookHealth, Every: iv.WebhookHealth, Queue: QueueLow,
			Timeout: time.Minute, MaxRetry: 0})
	}
	return out
}
