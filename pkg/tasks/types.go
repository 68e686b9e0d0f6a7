// Package tasks owns the asynq task types, their payloads, enqueue helpers with ids that make
// emission at-most-once, the worker's handler mux and the scheduler's periodic table.
package tasks

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
)

// Task type names are stable strings: queued tasks outlive deployments.
const (
	TypeRoomDelete   = "room:delete"
	TypePresencePoll = "presence:poll"
	// TypeProcessMeetings is process-meetings' task type. Its wire string keeps the old
	// "meeting:process": queued and archived tasks, the task_runs_total{type} series, the
	// stalled alert and `reflectorctl tasks run` all key on it, and a rolling deploy would
	// otherwise have old workers archive the new scheduler's ticks (MaxRetry 0).
	TypeProcessMeetings = "meeting:process"
)

// Queues, by priority.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Queues is the worker's queue priority table.
func Queues() map[string]int {
	return map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1}
}

// QueueNames are the queues, most urgent first.
func QueueNames() []string { return []string{QueueCritical, QueueDefault, QueueLow} }

// RoomDeletePayload asks for a provider room to be deleted.
type RoomDeletePayload struct {
	MeetingID uuid.UUID `json:"meeting_id"`
	Platform  string    `json:"platform"`
	RoomName  string    `json:"room_name"`
}

// NewRoomDeleteTask deletes a provider room after a meeting ended; retried until the provider
// confirms (404 counts as done). One task per meeting.
func NewRoomDeleteTask(p RoomDeletePayload) (*asynq.Task, error) {
	return newTask(TypeRoomDelete, p, asynq.TaskID("room:delete:"+p.MeetingID.String()),
		asynq.MaxRetry(20), asynq.Retention(24*time.Hour), asynq.Queue(QueueDefault))
}

// PresencePollPayload asks for one meeting's presence to be read.
type PresencePollPayload struct {
	MeetingID uuid.UUID `json:"meeting_id"`
}

// NewPresencePollTask polls a meeting's presence after delay. Polls are de-duplicated per
// meeting: a burst of webhooks or leaves makes one poll.
func NewPresencePollTask(p PresencePollPayload, delay time.Duration) (*asynq.Task, error) {
	return newTask(TypePresencePoll, p, asynq.Unique(delay+10*time.Second), asynq.ProcessIn(delay),
		asynq.MaxRetry(3), asynq.Queue(QueueCritical))
}

// TickPayload is the payload of every periodic task: the scheduler tick that emitted it.
type TickPayload struct {
	Tick int64 `json:"tick"` // unix seconds of the tick
}

func newTask(typ string, payload any, opts ...asynq.Option) (*asynq.Task, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("%s payload: %w", typ, err)
	}
	return asynq.NewTask(typ, b, opts...), nil
}

// decode parses a payload; a payload that does not parse can never succeed, so it skips retry.
func decode(t *asynq.Task, v any) error {
	if err := json.Unmarshal(t.Payload(), v); err != nil {
		return fmt.Errorf("%s: bad payload: %w: %w", t.Type(), err, asynq.SkipRetry)
	}
	return nil
}
