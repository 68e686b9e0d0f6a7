package presence_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/setup"
)

type pollBundle struct {
	a      *apptest.App
	poller presence.Poller
	id     uuid.UUID
	prov   string
}

func setupPoll(t *testing.T) *pollBundle {
	t.Helper()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "poll")
	m := a.Do(t, http.MethodPost, "/v1/rooms/poll/meeting", map[string]any{"connection_id": "c"}).JSON(t)
	return &pollBundle{a: a, poller: setup.PresencePoller(setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Log: a.Log}),
		id: uuid.MustParse(m["id"].(string)), prov: m["room_name"].(string)}
}

func (b *pollBundle) poll(t *testing.T) {
	t.Helper()
	require.NoError(t, b.poller.Poll(context.Background(), b.id))
}

// session is one participant_session row.
type session struct {
	SessionID string     `db:"session_id"`
	UserID    *string    `db:"user_id"`
	UserName  string     `db:"user_name"`
	LeftAt    *time.Time `db:"left_at"`
}

func (b *pollBundle) sessions(t *testing.T) map[string]session {
	t.Helper()
	var rows []session
	require.NoError(t, b.a.DB.Select(&rows, `SELECT session_id, user_id, user_name, left_at FROM participant_session
		WHERE meeting_id = $1`, b.id))
	out := map[string]session{}
	for _, r := range rows {
		out[r.SessionID] = r
	}
	return out
}

func (b *pollBundle) numClients(t *testing.T) any {
	t.Helper()
	return b.a.Scalar(t, "SELECT num_clients FROM meeting WHERE id = $1", b.id)
}

func TestPollSyncsSessions(t *testing.T) {
	t.Parallel()

	t.Run("present participants open sessions, absent ones are closed", func(t *testing.T) {
		t.Parallel()
		b := setupPoll(t)
		b.a.Daily.Join(b.prov, "s1", "u1", "Ann")
		b.a.Daily.Join(b.prov, "s2", "", "Bob")
		b.poll(t)
		require.EqualValues(t, 2, b.numClients(t))
		require.Equal(t, true, b.a.Scalar(t, "SELECT ever_joined FROM meeting WHERE id = $1", b.id))
		s := b.sessions(t)
		require.Equal(t, "u1", *s["s1"].UserID)
		require.Nil(t, s["s2"].UserID)

		b.a.Daily.Leave(b.prov, "s1")
		b.poll(t)
		require.EqualValues(t, 1, b.numClients(t))
		s = b.sessions(t)
		require.NotNil(t, s["s1"].LeftAt, "the stale session is closed")
		require.Nil(t, s["s2"].LeftAt)
	})

	t.Run("a participant seen again reopens its session", func(t *testing.T) {
		t.Parallel()
		b := setupPoll(t)
		b.a.Daily.Join(b.prov, "s1", "u1", "Ann")
		b.poll(t)
		b.a.Daily.Leave(b.prov, "s1")
		b.poll(t)
		require.EqualValues(t, 0, b.numClients(t))
		b.a.Daily.Join(b.prov, "s1", "u1", "Ann")
		b.poll(t)
		require.EqualValues(t, 1, b.numClients(t))
		s := b.sessions(t)
		require.Len(t, s, 1, "reopened, not duplicated")
		require.Nil(t, s["s1"].LeftAt)
	})

	t.Run("a participant without a name is Anonymous", func(t *testing.T) {
		t.Parallel()
		b := setupPoll(t)
		b.a.Daily.Join(b.prov, "s1", "", "")
		b.poll(t)
		require.Equal(t, "Anonymous", b.sessions(t)["s1"].UserName)
	})

	t.Run("a provider error changes nothing", func(t *testing.T) {
		t.Parallel()
		b := setupPoll(t)
		b.a.Daily.Join(b.prov, "s1", "u1", "Ann")
		b.poll(t)
		b.a.Daily.Leave(b.prov, "s1")
		b.a.Daily.FailNext(emulator.DailyRoomPresence, 10, emulator.Fault{Status: http.StatusInternalServerError})
		require.Error(t, b.poller.Poll(context.Background(), b.id), "the task is retried")
		require.EqualValues(t, 1, b.numClients(t), "a failed read is not an empty room")
		require.Nil(t, b.sessions(t)["s1"].LeftAt)
	})

	t.Run("an ended meeting is left alone", func(t *testing.T) {
		t.Parallel()
		b := setupPoll(t)
		_, err := b.a.DB.Exec("UPDATE meeting SET is_active = false WHERE id = $1", b.id)
		require.NoError(t, err)
		b.a.Daily.Join(b.prov, "s1", "u1", "Ann")
		b.poll(t)
		require.Empty(t, b.sessions(t))
		require.EqualValues(t, 0, b.numClients(t))
	})

	t.Run("an unknown meeting is an error", func(t *testing.T) {
		t.Parallel()
		b := setupPoll(t)
		require.Error(t, b.poller.Poll(context.Background(), uuid.New()))
	})
}
