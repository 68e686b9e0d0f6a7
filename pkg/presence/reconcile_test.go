package presence_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// outcomes counts Reconciliation calls by outcome.
type outcomes struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *outcomes) Reconciliation(outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[outcome]++
}

type reconcileBundle struct {
	a     *apptest.App
	r     presence.Reconciler
	seen  *outcomes
	ids   []uuid.UUID
	provs []string
}

// setupReconcile makes n rooms with one active Daily meeting each.
func setupReconcile(t *testing.T, n int) *reconcileBundle {
	t.Helper()
	a := apptest.New(t, apptest.Options{})
	seen := &outcomes{n: map[string]int{}}
	r := setup.Reconciler(setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Log: a.Log})
	r.Observer = seen
	b := &reconcileBundle{a: a, r: r, seen: seen}
	for i := range n {
		name := "rec-" + string(rune('a'+i))
		a.CreateRoom(t, name)
		h, err := a.Meetings.GetOrCreate(context.Background(), name, apptest.Owner, "", false)
		require.NoError(t, err)
		b.ids, b.provs = append(b.ids, h.Meeting.ID), append(b.provs, h.Meeting.RoomName)
	}
	return b
}

func (b *reconcileBundle) numClients(t *testing.T, i int) int64 {
	t.Helper()
	return b.a.Scalar(t, "SELECT num_clients FROM meeting WHERE id = $1", b.ids[i]).(int64)
}

// TestReconcileSyncsEveryMeetingWithOneRead: every active Daily meeting's sessions follow
// the provider, with one domain-wide read per run whatever the number of meetings.
func TestReconcileSyncsEveryMeetingWithOneRead(t *testing.T) {
	t.Parallel()
	b := setupReconcile(t, 3)
	b.a.Daily.Join(b.provs[0], "s1", "u1", "Ann")
	b.a.Daily.Join(b.provs[0], "s2", "u2", "Bob")
	b.a.Daily.Join(b.provs[2], "s3", "u3", "Cy")
	rooms := b.a.Daily.CallCount(emulator.DailyRoomPresence)

	res, err := b.r.Reconcile(context.Background())
	require.NoError(t, err)
	require.Equal(t, presence.ReconcileResult{Synced: 3}, res)
	require.Equal(t, []int64{2, 0, 1}, []int64{b.numClients(t, 0), b.numClients(t, 1), b.numClients(t, 2)})
	require.Equal(t, 1, b.a.Daily.CallCount(emulator.DailyPresence), "one read for all meetings")
	require.Equal(t, rooms, b.a.Daily.CallCount(emulator.DailyRoomPresence), "no per-room reads")
	require.Equal(t, 3, b.seen.n["synced"])

	b.a.Daily.Leave(b.provs[0], "s1")
	_, err = b.r.Reconcile(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 1, b.numClients(t, 0), "a leave no webhook reported is picked up")
}

// TestReconcileUnknownPresenceChangesNothing: a failed read never closes sessions.
func TestReconcileUnknownPresenceChangesNothing(t *testing.T) {
	t.Parallel()
	b := setupReconcile(t, 2)
	b.a.Daily.Join(b.provs[0], "s1", "u1", "Ann")
	_, err := b.r.Reconcile(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 1, b.numClients(t, 0))

	b.a.Daily.Leave(b.provs[0], "s1")
	b.a.Daily.FailNext(emulator.DailyPresence, 10, emulator.Fault{Status: http.StatusInternalServerError})
	res, err := b.r.Reconcile(context.Background())
	require.NoError(t, err)
	require.Equal(t, presence.ReconcileResult{Unknown: 2}, res)
	require.EqualValues(t, 1, b.numClients(t, 0), "unknown presence is not an empty room")
	require.Equal(t, 2, b.seen.n["unknown"])
}

// TestReconcileIsScheduledAndHandled: presence:reconcile is in the scheduler's table every
// PRESENCE_RECONCILE_INTERVAL when Daily is configured (0 turns it off), and the worker's
// mux runs it.
func TestReconcileIsScheduledAndHandled(t *testing.T) {
	t.Parallel()
	find := func(env map[string]string) (tasks.Periodic, bool) {
		return apptest.Scheduled(t, env, tasks.TypePresenceReconcile)
	}
	p, ok := find(nil)
	require.True(t, ok)
	require.Equal(t, 30*time.Second, p.Every)
	_, ok = find(map[string]string{"PRESENCE_RECONCILE_INTERVAL": "0"})
	require.False(t, ok)
	_, ok = find(map[string]string{"DAILY_API_KEY": "", "WHEREBY_API_KEY": "w", "DEFAULT_VIDEO_PLATFORM": "whereby"})
	require.False(t, ok, "no Daily, nothing to reconcile")

	b := setupReconcile(t, 1)
	b.a.Daily.Join(b.provs[0], "s1", "u1", "Ann")
	mux := tasks.NewMux(tasks.Deps{Reconciler: b.r, Log: b.a.Log})
	require.NoError(t, mux.ProcessTask(context.Background(), asynq.NewTask(p.Type, []byte(`{"tick":1}`))))
	require.EqualValues(t, 1, b.numClients(t, 0))
}
