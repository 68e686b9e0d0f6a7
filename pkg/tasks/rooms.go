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

// RoomDeleteHandler deletes provider rooms of ended meetings. Deleting a room that is already
// gone succeeds, so a retried or duplicated task has no further effect.
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
