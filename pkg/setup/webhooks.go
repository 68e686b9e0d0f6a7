package setup

import (
	"time"

	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// WebhookSweepEvery paces the periodic re-enqueue of unprocessed webhook rows.
const WebhookSweepEvery = time.Minute

// Webhooks builds the webhook inbox: the api receives with it, the worker processes with it.
// recordings (nil when recording ingestion is off) receives Daily's recording events when it
// implements webhook.Recordings. maxAttempts is WEBHOOK_MAX_ATTEMPTS (0: the default).
func Webhooks(db *sqlx.DB, platforms *platform.Registry, queue tasks.Enqueuer, recordings tasks.Recordings, log *zap.Logger,
	maxAttempts int) *webhook.Service {
	rec, _ := recordings.(webhook.Recordings)
	return webhook.NewService(webhook.Config{Store: store.NewWebhookStore(db), Jobs: tasks.Jobs{Q: queue},
		Platforms: platforms, Recordings: rec, Log: log.Named("webhook"), Now: time.Now, MaxAttempts: maxAttempts})
}

// WebhookReceiver builds the api's inbox: as Webhooks, with inserts grouped across
// concurrent deliveries (store.BatchedWebhookStore). The returned func stops the flushers;
// call it after the HTTP server has drained. Tests change settings through overrides (their
// clock), so the binary and the tests build the same receiver.
func WebhookReceiver(db *sqlx.DB, platforms *platform.Registry, queue tasks.Enqueuer, log *zap.Logger,
	overrides ...func(*webhook.Config)) (*webhook.Service, func()) {
	st := store.NewBatchedWebhookStore(db, webhookFlushers)
	cfg := webhook.Config{Store: st, Jobs: tasks.Jobs{Q: queue}, Platforms: platforms, Log: log.Named("webhook"), Now: time.Now}
	for _, o := range overrides {
		o(&cfg)
	}
	return webhook.NewService(cfg), st.Close
}

// webhookFlushers is the number of grouped inbox inserts in flight at once.
const webhookFlushers = 4

// WebhookHealth builds the check of the providers' webhooks (those with the
// platform.WebhookAdmin capability).
func WebhookHealth(platforms *platform.Registry, log *zap.Logger) *webhook.Health {
	return &webhook.Health{Platforms: platforms, Log: log.Named("webhook")}
}

// WebhookIntervals adds the webhook jobs to the periodic table: the inbox sweep always, the
// Daily webhook health check when Daily is configured (WEBHOOK_HEALTH_INTERVAL; 0 turns it off).
func WebhookIntervals(cfg *config.Config, iv *tasks.Intervals) {
	iv.WebhookSweep = WebhookSweepEvery
	if cfg.Daily.APIKey != "" {
		iv.WebhookHealth = cfg.WebhookHealthInterval
	}
}
