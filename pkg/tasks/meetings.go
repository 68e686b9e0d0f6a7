package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// Processor is process-meetings (meeting.Processor): Run runs it once.
type Processor interface {
	Run(ctx context.Context) (meeting.RunResult, error)
}

// ProcessMeetingsHandler runs process-meetings. A tick emitted late (the worker was down) is
// still run: the decision reads the present state, so a late tick is as good as a fresh one.
type ProcessMeetingsHandler struct {
	Processor Processor
	Log       *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h ProcessMeetingsHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p TickPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	res, err := h.Processor.Run(ctx)
	if err != nil {
		return err
	}
	h.Log.Info("process-meetings", zap.Int64("tick", p.Tick), zap.Int("active", res.Active), zap.Int("ended", res.Ended),
		zap.Int("grace_started", res.GraceStarted), zap.Int("presence_unknown", res.PresenceUnknown))
	return nil
}

// Poller polls one meeting's presence.
type Poller interface {
	Poll(ctx context.Context, id uuid.UUID) error
}

// PresencePollHandler runs presence:poll.
type PresencePollHandler struct{ Poller Poller }

// ProcessTask implements asynq.Handler.
func (h PresencePollHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p PresencePollPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	if err := h.Poller.Poll(ctx, p.MeetingID); err != nil {
		return fmt.Errorf("presence:poll: %w", err)
	}
	return nil
}

// RoomDeletedRecorder records that a provider room is gone, so the sweep stops re-queueing it,
// and tells whether another meeting still uses a provider room.
type RoomDeletedRecorder interface {
	MeetingRoomDeleted(ctx context.Context, id uuid.UUID, now time.Time) (uuid.UUID, error)
	// ProviderRoomInUse reports whether an active meeting other than except names the room.
	ProviderRoomInUse(ctx context.Context, platform, roomName string, except uuid.UUID) (bool, error)
}
