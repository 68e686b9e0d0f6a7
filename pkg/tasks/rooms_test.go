package tasks_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestRoomDeleteIsIdempotent: the handler deletes the provider room and records it; running
// it again (a retry, a duplicate) succeeds without further effect.
func TestRoomDeleteIsIdempotent(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "del")
	m := a.Do(t, http.MethodPost, "/v1/rooms/del/meeting", nil).JSON(t)
	id, prov := uuid.MustParse(m["id"].(string)), m["room_name"].(string)
	task, err := tasks.NewRoomDeleteTask(tasks.RoomDeletePayload{MeetingID: id, Platform: "daily", RoomName: prov})
	require.NoError(t, err)
	h := tasks.RoomDeleteHandler{Platforms: a.Platforms, Store: store.NewMeetingStore(a.DB), Log: zap.NewNop()}

	require.NoError(t, h.ProcessTask(context.Background(), task))
	require.False(t, a.Daily.RoomExists(prov))
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting WHERE provider_room_deleted_at IS NOT NULL"))
	require.NoError(t, h.ProcessTask(context.Background(), task), "a room already gone is a success")
}
