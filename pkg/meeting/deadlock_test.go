package meeting_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/store"
)

// gatedStore holds each /joined transaction right after its handout statement until `parties`
// transactions are in: gated ones that reached the same point, or others waiting on a row
// lock. That is the interleaving in which two lock orders deadlock, made certain instead of
// left to chance.
type gatedStore struct {
	meeting.Store
	db       *sqlx.DB
	parties  int
	arrived  atomic.Int32
	attempts atomic.Int32
	in       chan struct{} // one send per arrival
	// abort, when set, aborts the first abortN attempts as Postgres would at commit, after
	// they read the meeting as not joinable (what a failed attempt must not leave behind).
	abort  error
	abortN int32
}

func (s *gatedStore) InTx(ctx context.Context, fn func(meeting.Store) error) error {
	return s.Store.InTx(ctx, func(tx meeting.Store) error {
		if err := fn(gatedTx{Store: tx, s: s}); err != nil || !s.aborting() {
			return err
		}
		return s.abort
	})
}

func (s *gatedStore) aborting() bool { return s.abort != nil && s.attempts.Load() <= s.abortN }

type gatedTx struct {
	meeting.Store
	s *gatedStore
}

func (t gatedTx) MeetingJoinByID(ctx context.Context, roomName string, id uuid.UUID, in meeting.Intent, now time.Time) (room.Room, meeting.Meeting, bool, error) {
	t.s.attempts.Add(1)
	r, m, ok, err := t.Store.MeetingJoinByID(ctx, roomName, id, in, now)
	if err != nil {
		return r, m, ok, err
	}
	if t.s.aborting() {
		return r, m, false, nil
	}
	return r, m, ok, t.s.wait(ctx)
}

// wait returns once parties transactions are at the gate or blocked on a lock.
func (s *gatedStore) wait(ctx context.Context) error {
	s.arrived.Add(1)
	select {
	case s.in <- struct{}{}:
	default:
	}
	for {
		var blocked int
		if err := s.db.GetContext(ctx, &blocked, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
			return err
		}
		if int(s.arrived.Load())+blocked >= s.parties {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

type deadlockBundle struct {
	a     *apptest.App
	plain *meeting.Service
	gated *meeting.Service
	st    *gatedStore
	m     meeting.Meeting
}

func setupDeadlock(t *testing.T, parties int) *deadlockBundle {
	t.Helper()
	clk := testkit.NewClock(time.Now().UTC().Truncate(time.Millisecond))
	a := apptest.New(t, apptest.Options{Now: clk.Now})
	a.CreateRoom(t, "busy")
	ms := store.NewMeetingStore(a.DB)
	st := &gatedStore{Store: ms, db: a.DB, parties: parties, in: make(chan struct{}, parties)}
	plain := newReplica(a, clk, ms)
	h, err := plain.GetOrCreate(context.Background(), "busy", "", "", false)
	require.NoError(t, err)
	return &deadlockBundle{a: a, plain: plain, gated: newReplica(a, clk, st), st: st, m: h.Meeting}
}

func (b *deadlockBundle) joined(svc *meeting.Service, conn, session string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return svc.Joined(ctx, "busy", b.m.ID, "", conn, session, "")
}

func (b *deadlockBundle) numClients(t *testing.T) int {
	t.Helper()
	return b.a.Count(t, "SELECT num_clients FROM meeting WHERE id = $1", b.m.ID)
}

// Every writer of a meeting's sessions locks the meeting row first: /joined (which used to
// take a share lock and upgrade it in the recount), presence sync and a session close. Each
// case puts a /joined transaction and another writer in the interleaving where the old lock
// orders deadlocked (Postgres aborted one with 40P01, answered 500 in the fault run); every
// caller must succeed with its transaction run once (a retry would hide a deadlock).
func TestJoinedLockOrder(t *testing.T) {
	t.Parallel()
	t.Run("two joiners", func(t *testing.T) {
		t.Parallel()
		b := setupDeadlock(t, 2)
		errs := make(chan error, 2)
		for i, s := range []string{"s-a", "s-b"} {
			go func() { errs <- b.joined(b.gated, "conn-"+string(rune('a'+i)), s) }()
		}
		require.NoError(t, <-errs)
		require.NoError(t, <-errs)
		require.EqualValues(t, 2, b.st.attempts.Load(), "a /joined transaction ran twice: it deadlocked")
		require.Equal(t, 2, b.numClients(t))
	})
	t.Run("joined and presence sync", func(t *testing.T) {
		t.Parallel()
		b := setupDeadlock(t, 2)
		b.joinedAgainst(t, "conn-a", "s-a", func(ctx context.Context) error {
			// Presence already shows the session the client is reporting.
			_, err := store.NewSessionStore(b.a.DB).SessionsSync(ctx, b.m, []platform.Session{{ID: "s-a", UserName: "A"}}, time.Now().UTC())
			return err
		})
	})
	t.Run("joined and session close", func(t *testing.T) {
		t.Parallel()
		b := setupDeadlock(t, 2)
		require.NoError(t, b.joined(b.plain, "conn-a", "s-old"))
		// A rejoin on the same connection while its old session is closed.
		b.joinedAgainst(t, "conn-a", "s-new", func(ctx context.Context) error {
			return store.NewSessionStore(b.a.DB).SessionClose(ctx, b.m.ID, "s-old", time.Now().UTC())
		})
	})
}

// joinedAgainst runs a gated /joined and, once it holds its lock on the meeting, other; both
// must succeed, the /joined transaction in one attempt, leaving one client in the meeting.
func (b *deadlockBundle) joinedAgainst(t *testing.T, conn, session string, other func(context.Context) error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- b.joined(b.gated, conn, session) }()
	<-b.st.in
	require.NoError(t, other(context.Background()))
	require.NoError(t, <-done)
	require.EqualValues(t, 1, b.st.attempts.Load(), "the /joined transaction ran twice: it deadlocked")
	require.Equal(t, 1, b.numClients(t))
}

// A /joined transaction Postgres aborts (deadlock, serialization failure) is run again, and
// nothing its failed attempt saw survives: here the first attempt had read the meeting as
// gone when it was aborted; the answer is the second attempt's, a successful join.
func TestJoinedRetriesAbortedTransaction(t *testing.T) {
	t.Parallel()
	b := setupDeadlock(t, 1)
	b.st.abort, b.st.abortN = &pq.Error{Code: "40P01", Message: "deadlock detected (injected)"}, 1
	require.NoError(t, b.joined(b.gated, "conn-a", "s-a"))
	require.EqualValues(t, 2, b.st.attempts.Load())
	require.Equal(t, 1, b.numClients(t))
	require.Equal(t, 1, b.a.Count(t, "SELECT count(*) FROM participant_session WHERE meeting_id = $1", b.m.ID))
}

// A transaction aborted on every attempt gives up after a bounded number of them with an
// error httpapi answers 503 (see TestErrorTable), never a 500.
func TestJoinedGivesUpOnRepeatedAborts(t *testing.T) {
	t.Parallel()
	b := setupDeadlock(t, 1)
	b.st.abort, b.st.abortN = &pq.Error{Code: "40001", Message: "could not serialize access (injected)"}, 1000
	err := b.joined(b.gated, "conn-a", "s-a")
	var pe *pq.Error
	require.True(t, errors.As(err, &pe), "%v", err)
	require.ErrorIs(t, err, meeting.ErrConflict)
	require.Zero(t, b.numClients(t))
	require.Less(t, b.st.attempts.Load(), int32(10), "retries are bounded")
}
