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
	id, prov := newMeeting(t, a, "del")
	task, err := tasks.NewRoomDeleteTask(tasks.RoomDeletePayload{MeetingID: id, Platform: "daily", RoomName: prov})
	require.NoError(t, err)
	h := roomDeleter(a)

	require.NoError(t, h.ProcessTask(context.Background(), task))
	require.False(t, a.Daily.RoomExists(prov))
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting WHERE provider_room_deleted_at IS NOT NULL"))
	require.NoError(t, h.ProcessTask(context.Background(), task), "a room already gone is a success")
}

// TestRoomDeleteSparesARoomInUse: a delete queued for a provider room under another id (a
// creator discarding the room it made) leaves the room alone while an active meeting names
// it: names are deterministic, so that room may be the one another creator adopted.
func TestRoomDeleteSparesARoomInUse(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	id, prov := newMeeting(t, a, "kept")
	discard, err := tasks.NewRoomDeleteTask(tasks.RoomDeletePayload{MeetingID: uuid.New(), Platform: "daily", RoomName: prov})
	require.NoError(t, err)
	h := roomDeleter(a)

	require.NoError(t, h.ProcessTask(context.Background(), discard))
	require.True(t, a.Daily.RoomExists(prov), "the active meeting's room stays")
	require.Empty(t, a.Daily.Deleted())

	_, err = a.DB.Exec(`UPDATE meeting SET is_active = false WHERE id = $1`, id)
	require.NoError(t, err)
	require.NoError(t, h.ProcessTask(context.Background(), discard))
	require.False(t, a.Daily.RoomExists(prov), "no active meeting names it any more")
}

func roomDeleter(a *apptest.App) tasks.RoomDeleteHandler {
	return tasks.RoomDeleteHandler{Platforms: a.Platforms, Store: store.NewMeetingStore(a.DB), Log: zap.NewNop()}
}

// newMeeting creates a room and its meeting through the API: the meeting id and its provider
// room name.
func newMeeting(t *testing.T, a *apptest.App, room string) (uuid.UUID, string) {
	t.Helper()
	a.CreateRoom(t, room)
	m := a.Do(t, http.MethodPost, "/v1/rooms/"+room+"/meeting", nil).JSON(t)
	return uuid.MustParse(m["id"].(string)), m["room_name"].(string)
}
