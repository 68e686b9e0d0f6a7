package webhook

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
)

// Registry lists the configured providers (platform.Registry).
type Registry interface {
	Names() []string
	Get(name string) (platform.Client, error)
}

// Health re-activates provider webhooks found failed (Daily stops delivering after repeated
// failures), so meetings do not silently lose events. It checks every provider that has the
// platform.WebhookAdmin capability.
type Health struct {
	Platforms Registry // nil: no provider is configured and Check does nothing
	Log       *zap.Logger

	reactivated atomic.Int64 // since start, for the logs
}

// HealthResult is one check.
type HealthResult struct {
	Checked, Failed, Reactivated int
}

// Check lists each provider's webhooks and re-activates every failed one. A webhook that
// cannot be re-activated (the provider's test ping to us failed) is logged and reported in
// the error; the others are still tried.
func (h *Health) Check(ctx context.Context) (HealthResult, error) {
	var res HealthResult
	if h.Platforms == nil {
		return res, nil
	}
	var firstErr error
	for _, name := range h.Platforms.Names() {
		c, err := h.Platforms.Get(name)
		admin, ok := c.(platform.WebhookAdmin)
		if err != nil || !ok {
			continue
		}
		if err := h.check(ctx, name, admin, &res); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return res, firstErr
}

func (h *Health) check(ctx context.Context, provider string, admin platform.WebhookAdmin, res *HealthResult) error {
	hooks, err := admin.WebhookStates(ctx)
	if err != nil {
		return fmt.Errorf("webhook.Health: list %s webhooks: %w", provider, err)
	}
	res.Checked += len(hooks)
	var firstErr error
	for _, w := range hooks {
		if !w.Failed {
			continue
		}
		res.Failed++
		fields := []zap.Field{zap.String("provider", provider), zap.String("id", w.ID), zap.String("url", w.URL),
			zap.Int("failed_count", w.FailedCount)}
		if err := admin.ReviveWebhook(ctx, w.ID); err != nil {
			h.log().Error("webhook FAILED and could not be re-activated", append(fields, zap.Error(err))...)
			if firstErr == nil {
				firstErr = fmt.Errorf("webhook.Health: reactivate %s %s: %w", provider, w.ID, err)
			}
			continue
		}
		res.Reactivated++
		h.log().Warn("webhook was FAILED, re-activated", append(fields, zap.Int64("reactivated_total", h.reactivated.Add(1)))...)
	}
	return firstErr
}

func (h *Health) log() *zap.Logger {
	if h.Log == nil {
		return zap.NewNop()
	}
	return h.Log
}
