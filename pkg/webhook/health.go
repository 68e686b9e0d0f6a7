package webhook

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform/daily"
)

// stateFailed is the state Daily puts a webhook in after repeated failed deliveries; it then
// stops sending until the webhook is updated.
const stateFailed = "FAILED"

// DailyWebhooks is the part of the Daily client the health check uses.
type DailyWebhooks interface {
	Webhooks(ctx context.Context) ([]daily.Webhook, error)
	ReactivateWebhook(ctx context.Context, uuid string) (daily.Webhook, error)
}

// Health re-activates Daily webhooks found FAILED, so meetings do not silently lose events.
type Health struct {
	Daily DailyWebhooks // nil: Daily is not configured and Check does nothing
	Log   *zap.Logger

	reactivated atomic.Int64 // since start, for the logs
}

// HealthResult is one check.
type HealthResult struct {
	Checked, Failed, Reactivated int
}

// Check lists Daily's webhooks and re-activates every FAILED one. A webhook that cannot be
// re-activated (Daily's test ping to us failed) is logged and reported in the error; the
// others are still tried.
func (h *Health) Check(ctx context.Context) (HealthResult, error) {
	if h.Daily == nil {
		return HealthResult{}, nil
	}
	hooks, err := h.Daily.Webhooks(ctx)
	if err != nil {
		return HealthResult{}, fmt.Errorf("webhook.Health: list daily webhooks: %w", err)
	}
	res := HealthResult{Checked: len(hooks)}
	var firstErr error
	for _, w := range hooks {
		if w.State != stateFailed {
			continue
		}
		res.Failed++
		if _, err := h.Daily.ReactivateWebhook(ctx, w.UUID); err != nil {
			h.log().Error("daily webhook FAILED and could not be re-activated", zap.String("uuid", w.UUID),
				zap.String("url", w.URL), zap.Int("failed_count", w.FailedCount), zap.Error(err))
			if firstErr == nil {
				firstErr = fmt.Errorf("webhook.Health: reactivate %s: %w", w.UUID, err)
			}
			continue
		}
		res.Reactivated++
		h.log().Warn("daily webhook was FAILED, re-activated", zap.String("uuid", w.UUID), zap.String("url", w.URL),
			zap.Int("failed_count", w.FailedCount), zap.Int64("reactivated_total", h.reactivated.Add(1)))
	}
	return res, firstErr
}

func (h *Health) log() *zap.Logger {
	if h.Log == nil {
		return zap.NewNop()
	}
	return h.Log
}
