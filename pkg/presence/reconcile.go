package presence

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
)

// ReconcileStore is the persistence of presence reconciliation.
type ReconcileStore interface {
	// MeetingsActive lists the active meetings that have a provider room.
	MeetingsActive(ctx context.Context) ([]meeting.Meeting, error)
	Store
}

// ReconcileObserver counts reconciled meetings by outcome: synced, unknown (the provider
// could not be read, sessions left as they were) or error (metrics.Metrics implements it).
type ReconcileObserver interface {
	Reconciliation(outcome string)
}

// Reconciler is presence reconciliation (the task presence:reconcile, the original's
// trigger_daily_reconciliation): every PRESENCE_RECONCILE_INTERVAL it brings the participant
// sessions of every active meeting in line with its provider, so a lost webhook or leave
// cannot leave num_clients wrong. Within the provider's rate budget: providers with a
// domain-wide presence endpoint (Daily) are read with one call per tick, whatever the number
// of meetings; providers without one (Whereby, whose presence arrives by webhook) are left to
// their webhooks and the per-meeting presence:poll.
type Reconciler struct {
	Store     ReconcileStore
	Platforms Platforms
	Log       *zap.Logger
	Now       func() time.Time
	Observer  ReconcileObserver // nil: not counted
}

// ReconcileResult counts one run.
type ReconcileResult struct{ Synced, Unknown, Failed int }

// Reconcile runs once.
func (r Reconciler) Reconcile(ctx context.Context) (ReconcileResult, error) {
	ms, err := r.Store.MeetingsActive(ctx)
	if err != nil {
		return ReconcileResult{}, fmt.Errorf("presence.Reconcile: %w", err)
	}
	byPlatform := map[string][]meeting.Meeting{}
	for _, m := range ms {
		byPlatform[m.Platform] = append(byPlatform[m.Platform], m)
	}
	var res ReconcileResult
	for name, group := range byPlatform {
		c, err := r.Platforms.Get(name)
		if err != nil {
			continue // a provider no longer configured: nothing to read it with
		}
		if dp, ok := c.(platform.DomainPresenceReader); ok {
			r.domain(ctx, dp, group, &res)
		}
	}
	return res, nil
}

// domain reads a provider's presence once and syncs each of its meetings from it. A failed
// read changes nothing: an unknown presence never closes sessions.
func (r Reconciler) domain(ctx context.Context, dp platform.DomainPresenceReader, ms []meeting.Meeting, res *ReconcileResult) {
	rooms, err := dp.DomainPresence(ctx)
	if err != nil {
		r.Log.Warn("presence reconcile: read failed, sessions left as they are", zap.String("platform", ms[0].Platform),
			zap.Int("meetings", len(ms)), zap.Error(err))
		res.Unknown += len(ms)
		r.count("unknown", len(ms))
		return
	}
	now := r.Now().UTC()
	for _, m := range ms {
		n, err := r.Store.SessionsSync(ctx, m, rooms[m.RoomName], now)
		if err != nil {
			res.Failed++
			r.count("error", 1)
			r.Log.Warn("presence reconcile: sync failed", meeting.LogFields(m, zap.Error(err))...)
			continue
		}
		res.Synced++
		r.count("synced", 1)
		if n != m.NumClients {
			r.Log.Info("presence reconciled", meeting.LogFields(m, zap.Int("was", m.NumClients), zap.Int("num_clients", n))...)
		}
	}
}

func (r Reconciler) count(outcome string, n int) {
	if r.Observer == nil {
		return
	}
	for range n {
		r.Observer.Reconciliation(outcome)
	}
}
