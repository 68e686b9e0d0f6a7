package meeting_test

import (
	"context"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestLifecycleLogLinesCarryIDs: every log line of a meeting's life (created, handed out,
// joined, presence polled, left, deactivated, provider room deleted) names the meeting and
// its room, so one grep on an id finds the whole story.
func TestLifecycleLogLinesCarryIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := apptest.New(t, apptest.Options{})
	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(core)
	d := setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Jobs: tasks.Jobs{Q: a.Queue}, Log: log}
	svc, proc, poller := setup.MeetingService(a.Config, d), setup.Processor(a.Config, d), setup.PresencePoller(d)
	a.CreateRoom(t, "logged")

	h, err := svc.GetOrCreate(ctx, "logged", apptest.Owner, "c1", false)
	require.NoError(t, err)
	m := h.Meeting
	_, err = svc.GetOrCreate(ctx, "logged", apptest.Owner, "c2", false)
	require.NoError(t, err)
	require.NoError(t, svc.Joined(ctx, "logged", m.ID, apptest.Owner, "c1", "s1", "Ann"))
	a.Daily.Join(m.RoomName, "s1", apptest.Owner, "Ann")
	require.NoError(t, poller.Poll(ctx, m.ID))
	require.NoError(t, svc.Leave(ctx, "logged", m.ID, "c1", "s1", 0))
	_, err = a.DB.Exec(`UPDATE meeting SET end_date = now() - interval '1 minute' WHERE id = $1`, m.ID)
	require.NoError(t, err)
	_, err = proc.Run(ctx)
	require.NoError(t, err)
	del, err := tasks.NewRoomDeleteTask(tasks.RoomDeletePayload{MeetingID: m.ID, Platform: m.Platform, RoomName: m.RoomName})
	require.NoError(t, err)
	require.NoError(t, tasks.RoomDeleteHandler{Platforms: a.Platforms, Store: store.NewMeetingStore(a.DB), Log: log}.
		ProcessTask(ctx, asynq.NewTask(del.Type(), del.Payload())))

	var msgs []string
	for _, e := range logs.All() {
		msgs = append(msgs, e.Message)
		f := e.ContextMap()
		require.Equal(t, m.ID.String(), f["meeting_id"], "%q: %v", e.Message, f)
		require.Equal(t, m.RoomName, f["room_name"], "%q: %v", e.Message, f)
		require.Equal(t, m.RoomID.String(), f["room_id"], "%q: %v", e.Message, f)
	}
	for _, want := range []string{"meeting created", "meeting handed out", "participant joined", "presence polled",
		"participant left", "meeting deactivated", "provider room deleted"} {
		require.Contains(t, msgs, want)
	}
}
