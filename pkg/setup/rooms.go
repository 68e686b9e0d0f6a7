package setup

import (
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/store"
)

// Rooms builds the room service: the api and the test harness use it. now nil is time.Now.
func Rooms(cfg *config.Config, db *sqlx.DB, platforms *platform.Registry, now func() time.Time) *room.Service {
	return room.NewService(room.Config{Store: store.NewRoomStore(db), Platforms: platforms.Names(),
		PlatformFor: PlatformFor(cfg, platforms), Now: now})
}
