package tasks

import (
	"github.com/hibiken/asynq"
	"go.uber.org/zap"
)

// Deps are what the task handlers need.
type Deps struct {
	Platforms Platforms
	Log       *zap.Logger
}

// NewMux registers one handler per task type.
func NewMux(d Deps) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.Handle(TypeRoomDelete, RoomDeleteHandler{Platforms: d.Platforms, Log: d.Log})
	return mux
}
