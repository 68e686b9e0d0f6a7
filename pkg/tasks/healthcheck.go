package tasks

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"
)

// TypeHealthcheckPing pings HEALTHCHECK_URL. The scheduler emits it and a worker runs it, so
// the uptime monitor hears from both, as in the original (celery beat + worker).
const TypeHealthcheckPing = "healthcheck:ping"

// HealthcheckEvery is the original's ping period.
const HealthcheckEvery = 10 * time.Minute

// HealthcheckPinger pings the uptime monitor (heartbeat.Pinger).
type HealthcheckPinger interface {
	Ping(ctx context.Context) error
}

// HealthcheckPingHandler runs healthcheck:ping.
type HealthcheckPingHandler struct {
	Pinger HealthcheckPinger
	Log    *zap.Logger
}

// ProcessTask implements asynq.Handler. A failed ping is logged and not retried: the next
// tick pings again, and a monitor that stays unreachable is the monitor's alert to raise.
func (h HealthcheckPingHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	if err := h.Pinger.Ping(ctx); err != nil {
		h.Log.Warn("healthcheck ping failed", zap.Error(err))
	}
	return nil
}

func healthcheckPeriodic(iv Intervals) []Periodic {
	if iv.HealthcheckPing <= 0 {
		return nil
	}
	return []Periodic{{Type: TypeHealthcheckPing, Every: iv.HealthcheckPing, Queue: QueueDefault, Timeout: time.Minute}}
}
