package setup

import (
	"time"

	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/roomhook"
	"github.com/monadical/reflector-go/pkg/store"
)

// RoomHooks builds the rooms' outgoing webhook sender; timeout bounds one delivery (the
// original: 10 s for the test route, 30 s for transcript.completed).
func RoomHooks(cfg *config.Config, db *sqlx.DB, log *zap.Logger, timeout time.Duration) *roomhook.Service {
	return roomhook.NewService(roomhook.Config{Store: store.NewRoomHookStore(db),
		Sender: roomhook.NewSender(timeout, cfg.Web.RoomWebhookAllowPrivate), UIBaseURL: cfg.UIBaseURL, Log: log})
}
