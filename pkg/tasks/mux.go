package tasks

import (
	"github.com/hibiken/asynq"
	"go.uber.org/zap"
)

// Deps are what the task handlers need.
type Deps struct {
	Platforms Platforms
	Meetings  RoomDeletedRecorder
	Processor Ticker
	Presence  Poller
	Log       *zap.Logger
}

// NewMux registers one handler per task type.
func NewMux(d Deps) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.Handle(TypeRoomDelete, RoomDeleteHandler{Platforms: d.Platforms, Store: d.Meetings, Log: d.Log})
	mux.Handle(TypeMeetingsProcess, MeetingsProcessHandler{Processor: d.Processor, Log: d.Log})
	mux.Handle(TypePresencePoll, PresencePollHandler{Poller: d.Presence})
	return mux
}
