package tasks

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"
)

// TypeRoomSweepOrphans deletes provider rooms no meeting owns (meeting.OrphanSweeper).
const TypeRoomSweepOrphans = "room:sweep-orphans"

// OrphanSweeper is meeting.OrphanSweeper.
type OrphanSweeper interface {
	Sweep(ctx context.Context) (int, error)
}

// RoomSweepOrphansHandler runs one orphan sweep. A failed sweep is not retried: the next tick
// runs it again.
type RoomSweepOrphansHandler struct {
	Sweeper OrphanSweeper
	Log     *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h RoomSweepOrphansHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	n, err := h.Sweeper.Sweep(ctx)
	h.Log.Info("orphan provider rooms swept", zap.Int("deleted", n), zap.Error(err))
	return err
}

func registerOrphans(mux *asynq.ServeMux, d Deps) {
	if d.Orphans != nil {
		mux.Handle(TypeRoomSweepOrphans, RoomSweepOrphansHandler{Sweeper: d.Orphans, Log: d.Log})
	}
}

// roomPeriodic is the orphan sweep's entry; zero RoomOrphanSweep leaves it out.
func roomPeriodic(iv Intervals) []Periodic {
	if iv.RoomOrphanSweep <= 0 {
		return nil
	}
	return []Periodic{{Type: TypeRoomSweepOrphans, Every: iv.RoomOrphanSweep, Queue: QueueLow,
		Timeout: 5 * time.Minute, MaxRetry: 0}}
}
