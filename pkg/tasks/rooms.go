package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
)

// Platforms finds a provider client by platform name.
type Platforms interface {
	Get(name string) (platform.Client, error)
}

// RoomDeleteHandler deletes provider rooms of ended meetings, and the ones a creator made but
// did not keep. Deleting a room that is already gone succeeds, so a retried or duplicated task
// has no further effect. A room that an active meeting other than the task's own names is
// left alone: provider room names are deterministic, so a room one creator gave up on (its
// naming window closed on its clock) may be the room another creator adopted and committed.
type RoomDeleteHandler struct {
	Platforms Platforms
	Store     RoomDeletedRecorder
	Log       *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h RoomDeleteHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p RoomDeletePayload
	if err := decode(t, &p); err != nil {
		return err
	}
	c, err := h.Platforms.Get(p.Platform)
	if err != nil {
		return fmt.Errorf("room:delete %s: %w: %w", p.RoomName, err, asynq.SkipRetry)
	}
	used, err := h.Store.ProviderRoomInUse(ctx, p.Platform, p.RoomName, p.MeetingID)
	if err != nil {
		return fmt.Errorf("room:delete %s: %w", p.RoomName, err)
	}
	if used {
		h.Log.Warn("provider room delete skipped: an active meeting uses the room", zap.String("platform", p.Platform),
			zap.String("room_name", p.RoomName), zap.Stringer("meeting_id", p.MeetingID))
		return nil
	}
	if err := c.DeleteRoom(ctx, p.RoomName); err != nil {
		return fmt.Errorf("room:delete %s: %w", p.RoomName, err)
	}
	roomID, err := h.Store.MeetingRoomDeleted(ctx, p.MeetingID, time.Now())
	if err != nil {
		return fmt.Errorf("room:delete %s: %w", p.RoomName, err)
	}
	h.Log.Info("provider room deleted", zap.String("platform", p.Platform), zap.String("room_name", p.RoomName),
		zap.Stringer("meeting_id", p.MeetingID), zap.Stringer("room_id", roomID))
	return nil
}
