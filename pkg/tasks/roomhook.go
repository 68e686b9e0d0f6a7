package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/monadical/reflector-go/pkg/roomhook"
)

// TypeRoomWebhook delivers a room's transcript.completed webhook.
const TypeRoomWebhook = "room:webhook"

// roomWebhookRetries: asynq's default backoff (about n⁴ s) puts the 14th retry about a day
// after the first try, the span the original's Celery task retries over.
const roomWebhookRetries = 14

// RoomWebhookPayload names the transcript; the event id stays the same across retries.
type RoomWebhookPayload struct {
	TranscriptID uuid.UUID `json:"transcript_id"`
	EventID      string    `json:"event_id"`
}

// NewRoomWebhookTask delivers transcript.completed once per transcript generation.
func NewRoomWebhookTask(transcriptID uuid.UUID, generation int) (*asynq.Task, error) {
	return newTask(TypeRoomWebhook, RoomWebhookPayload{TranscriptID: transcriptID, EventID: roomhook.NewEventID()},
		asynq.TaskID(fmt.Sprintf("%s:%s:%d", TypeRoomWebhook, transcriptID, generation)),
		asynq.MaxRetry(roomWebhookRetries), asynq.Retention(48*time.Hour), asynq.Queue(QueueLow))
}

// TranscriptCompleted queues the room webhook of a finished transcript generation
// (idempotent: one task per generation).
func (j Jobs) TranscriptCompleted(ctx context.Context, transcriptID uuid.UUID, generation int) error {
	t, err := NewRoomWebhookTask(transcriptID, generation)
	return j.enqueue(ctx, t, err)
}

// RoomWebhookDeliverer sends a transcript's room webhook (roomhook.Service).
type RoomWebhookDeliverer interface {
	Deliver(ctx context.Context, transcriptID uuid.UUID, eventID string, retry int) error
}

// RoomWebhookHandler runs TypeRoomWebhook; an error retries with backoff.
type RoomWebhookHandler struct{ Hooks RoomWebhookDeliverer }

// ProcessTask implements asynq.Handler.
func (h RoomWebhookHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p RoomWebhookPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	retry, _ := asynq.GetRetryCount(ctx)
	return h.Hooks.Deliver(ctx, p.TranscriptID, p.EventID, retry)
}
