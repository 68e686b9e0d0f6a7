package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/room"
)

func TestRoomsCRUD(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})

	res := a.Do(t, http.MethodPost, "/v1/rooms", map[string]any{"name": "standup", "webhook_url": "https://hooks.example.com/x"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	created := res.JSON(t)
	require.Equal(t, "standup", created["name"])
	require.Equal(t, "daily", created["platform"])
	require.Equal(t, apptest.Owner, created["user_id"])
	require.NotEmpty(t, created["webhook_secret"], "a webhook URL without a secret gets a generated secret")
	id := created["id"].(string)

	t.Run("duplicate name is 400", func(t *testing.T) {
		res := a.Do(t, http.MethodPost, "/v1/rooms", map[string]any{"name": "standup"})
		require.Equal(t, http.StatusBadRequest, res.Status)
		require.Equal(t, "Room name is not unique", res.JSON(t)["detail"])
	})
	t.Run("get by id and by name", func(t *testing.T) {
		require.Equal(t, http.StatusOK, a.Do(t, http.MethodGet, "/v1/rooms/"+id, nil).Status)
		res := a.Do(t, http.MethodGet, "/v1/rooms/name/standup", nil)
		require.Equal(t, http.StatusOK, res.Status)
		require.Equal(t, id, res.JSON(t)["id"])
	})
	t.Run("list pages own rooms", func(t *testing.T) {
		res := a.Do(t, http.MethodGet, "/v1/rooms?page=1&size=10", nil)
		require.Equal(t, http.StatusOK, res.Status)
		page := res.JSON(t)
		require.EqualValues(t, 1, page["total"])
		require.EqualValues(t, 1, page["pages"])
		require.Len(t, page["items"], 1)
	})
	t.Run("patch applies only sent fields", func(t *testing.T) {
		res := a.Do(t, http.MethodPatch, "/v1/rooms/"+id, map[string]any{"is_locked": true, "room_mode": "group"})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		r := res.JSON(t)
		require.Equal(t, true, r["is_locked"])
		require.Equal(t, "group", r["room_mode"])
		require.Equal(t, "standup", r["name"])
		require.Equal(t, created["webhook_secret"], r["webhook_secret"], "a patch without webhook_url keeps the secret")
	})
	t.Run("unknown room is 404", func(t *testing.T) {
		res := a.Do(t, http.MethodGet, "/v1/rooms/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil)
		require.Equal(t, http.StatusNotFound, res.Status)
		require.Equal(t, "Room not found", res.JSON(t)["detail"])
	})
	t.Run("delete", func(t *testing.T) {
		require.Equal(t, http.StatusOK, a.Do(t, http.MethodDelete, "/v1/rooms/"+id, nil).Status)
		require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodGet, "/v1/rooms/"+id, nil).Status)
		require.Zero(t, a.Count(t, "SELECT count(*) FROM room"))
	})
}

func TestRoomAccessRules(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	private := a.CreateRoom(t, "private", func(in *room.Input) { in.WebhookURL = "https://hooks.example.com/p" })
	shared := a.CreateRoom(t, "shared", func(in *room.Input) { in.IsShared = true; in.WebhookURL = "https://hooks.example.com/s" })

	as := func(user string) *apptest.App { return a.As(t, user) }
	stranger := as("stranger")

	t.Run("stranger cannot read a private room by id", func(t *testing.T) {
		res := stranger.Do(t, http.MethodGet, "/v1/rooms/"+private.ID.String(), nil)
		require.Equal(t, http.StatusForbidden, res.Status)
	})
	t.Run("stranger reads a shared room without its secret", func(t *testing.T) {
		res := stranger.Do(t, http.MethodGet, "/v1/rooms/"+shared.ID.String(), nil)
		require.Equal(t, http.StatusOK, res.Status)
		r := res.JSON(t)
		require.Nil(t, r["webhook_secret"])
		require.Nil(t, r["webhook_url"])
	})
	t.Run("stranger lists shared rooms only, without secrets", func(t *testing.T) {
		page := stranger.Do(t, http.MethodGet, "/v1/rooms", nil).JSON(t)
		items := page["items"].([]any)
		require.Len(t, items, 1)
		require.Nil(t, items[0].(map[string]any)["webhook_secret"])
	})
	t.Run("by name is public but redacted", func(t *testing.T) {
		r := stranger.Do(t, http.MethodGet, "/v1/rooms/name/private", nil).JSON(t)
		require.Nil(t, r["webhook_secret"])
	})
	t.Run("owner-only mutations answer 403", func(t *testing.T) {
		require.Equal(t, http.StatusForbidden, stranger.Do(t, http.MethodPatch, "/v1/rooms/"+shared.ID.String(), map[string]any{"is_locked": true}).Status)
		require.Equal(t, http.StatusForbidden, stranger.Do(t, http.MethodDelete, "/v1/rooms/"+shared.ID.String(), nil).Status)
	})
	t.Run("anonymous callers need to log in to create or list", func(t *testing.T) {
		anon := as("")
		require.Equal(t, http.StatusUnauthorized, anon.Do(t, http.MethodPost, "/v1/rooms", map[string]any{"name": "x"}).Status)
		require.Equal(t, http.StatusUnauthorized, anon.Do(t, http.MethodGet, "/v1/rooms", nil).Status)
		require.Equal(t, http.StatusOK, anon.Do(t, http.MethodPost, "/v1/rooms/shared/meeting", nil).Status)
	})
}
