package tasks

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/presence"
)

// TypePresenceReconcile is presence reconciliation (presence.Reconciler), every
// PRESENCE_RECONCILE_INTERVAL.
const TypePresenceReconcile = "presence:reconcile"

// PresenceReconciler brings every active meeting's sessions in line with its provider.
type PresenceReconciler interface {
	Reconcile(ctx context.Context) (presence.ReconcileResult, error)
}

// PresenceReconcileHandler runs presence:reconcile. Idempotent: each run reads the present
// state and syncs to it.
type PresenceReconcileHandler struct {
	Reconciler PresenceReconciler
	Log        *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h PresenceReconcileHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p TickPayload // the periodic tick payload
	if err := decode(t, &p); err != nil {
		return err
	}
	res, err := h.Reconciler.Reconcile(ctx)
	if err != nil {
		return err
	}
	h.Log.Debug("presence reconcile", zap.Int64("tick", p.Tick), zap.Int("synced", res.Synced),
		zap.Int("unknown", res.Unknown), zap.Int("failed", res.Failed))
	return nil
}

// presencePeriodic is the reconciliation entry of the table; a zero interval leaves it out.
// Retrying a missed tick is pointless: the next one comes within the interval.
func presencePeriodic(iv Intervals) []Periodic {
	if iv.PresenceReconcile <= 0 {
		return nil
	}
	return []Periodic{{Type: TypePresenceReconcile, Every: iv.PresenceReconcile, Queue: QueueCritical,
		Timeout: max(iv.PresenceReconcile, time.Minute), MaxRetry: 0}}
}
