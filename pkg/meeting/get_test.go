package meeting_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// brokenReads wraps the real store: reading a meeting by id fails as a lost connection would.
type brokenReads struct{ meeting.Store }

var errConnLost = errors.New("connection lost")

func (brokenReads) MeetingByID(context.Context, uuid.UUID) (meeting.Meeting, error) {
	return meeting.Meeting{}, errConnLost
}

// TestGetKeepsDatabaseErrors: a meeting that cannot be read is an error, not a 404.
func TestGetKeepsDatabaseErrors(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "get")
	id := uuid.MustParse(a.Do(t, http.MethodPost, "/v1/rooms/get/meeting", map[string]any{"connection_id": "c"}).JSON(t)["id"].(string))
	ctx := context.Background()

	_, _, err := a.Meetings.Get(ctx, "get", uuid.New(), apptest.Owner)
	require.ErrorIs(t, err, meeting.ErrNotFound)
	_, m, err := a.Meetings.Get(ctx, "get", id, apptest.Owner)
	require.NoError(t, err)
	require.Equal(t, id, m.ID)

	svc := setup.MeetingService(a.Config, setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Jobs: tasks.Jobs{Q: a.Queue},
		Log: a.Log}, func(c *meeting.Config) { c.Store = brokenReads{c.Store} })
	_, _, err = svc.Get(ctx, "get", id, apptest.Owner)
	require.ErrorIs(t, err, errConnLost)
	require.NotErrorIs(t, err, meeting.ErrNotFound)
}
