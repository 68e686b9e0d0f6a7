package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
)

// Enqueuer is the part of asynq.Client the helpers use.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// EnqueueDeadline bounds one enqueue. Enqueues run on request paths (/joined, /leave,
// webhooks) after the state is committed in Postgres; a frozen or unreachable Redis must not
// hold the request, so after this long the work is left to the sweeps, which find it in
// Postgres and queue it again under the same task id.
const EnqueueDeadline = time.Second

// Jobs queues follow-up work for the services (it implements meeting.Jobs).
type Jobs struct{ Q Enqueuer }

// enqueue treats "already queued" as success: task ids make enqueue idempotent.
func (j Jobs) enqueue(ctx context.Context, t *asynq.Task, err error) error {
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, EnqueueDeadline)
	defer cancel()
	_, err = j.Q.EnqueueContext(ctx, t)
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", t.Type(), err)
	}
	return nil
}

// DeleteProviderRoom queues the deletion of an ended meeting's provider room.
func (j Jobs) DeleteProviderRoom(ctx context.Context, meetingID uuid.UUID, platform, roomName string) error {
	t, err := NewRoomDeleteTask(RoomDeletePayload{MeetingID: meetingID, Platform: platform, RoomName: roomName})
	return j.enqueue(ctx, t, err)
}

// PollPresence queues a presence poll of a meeting after delay.
func (j Jobs) PollPresence(ctx context.Context, meetingID uuid.UUID, delay time.Duration) error {
	t, err := NewPresencePollTask(PresencePollPayload{MeetingID: meetingID}, delay)
	return j.enqueue(ctx, t, err)
}
