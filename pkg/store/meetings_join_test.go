package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// A join handout takes one of the pool's turns (in arrival order) before it takes a
// connection: with every turn held it waits, and runs once one is released.
func TestJoinHandoutWaitsForATurn(t *testing.T) {
	t.Parallel()
	_, url := storetest.NewDBURL(t)
	ctx := context.Background()
	db, err := store.OpenWith(ctx, url, 2, true)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	ms := store.NewMeetingStore(db)
	var held []func()
	for range 2 {
		release, err := ms.TakeJoinTurn(ctx)
		require.NoError(t, err)
		held = append(held, release)
	}
	now := time.Now()
	in := meeting.Intent{ConnectionID: "c1", State: meeting.IntentJoining, ExpiresAt: now.Add(time.Minute)}
	ev := meeting.NewEvent(meeting.Event{}.MeetingID, now, meeting.EventHandout, "anonymous", nil)
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, _, err = ms.MeetingForJoin(short, "no-such-room", in, ev, now)
	require.ErrorIs(t, err, context.DeadlineExceeded, "no turn free: the handout waits")
	held[0]()
	_, _, err = ms.MeetingForJoin(ctx, "no-such-room", in, ev, now)
	require.ErrorIs(t, err, room.ErrNotFound, "a turn is free: the handout runs")
	held[1]()
}

// The join's share lock on the meeting row: a join that arrives while a deactivation holds
// the row (as MeetingsEnd does: lock, then end unless a live intent shows) waits for it, and
// then sees the meeting ended, so no client is handed a meeting that was ended meanwhile.
func TestJoinWaitsForADeactivationInProgress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.NewDB(t)
	ms := store.NewMeetingStore(db)
	now := time.Now().UTC()
	meetingID, end := heldMeeting(t, db, "locked-room", now)

	type handout struct {
		m   *meeting.Meeting
		err error
	}
	done := make(chan handout, 1)
	go func() {
		in := meeting.Intent{ConnectionID: "c1", State: meeting.IntentJoining, ExpiresAt: now.Add(time.Minute)}
		_, m, err := ms.MeetingForJoin(ctx, "locked-room", in, meeting.NewEvent(uuid.Nil, now, meeting.EventHandout, "anonymous", nil), now)
		done <- handout{m, err}
	}()
	require.Eventually(t, func() bool {
		var waiting int
		// The join statement starts with its room CTE (pg_stat_activity keeps only the first
		// 1 kB of a query).
		require.NoError(t, db.Get(&waiting, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND query LIKE 'WITH r AS (SELECT id, name,%'`))
		return waiting == 1
	}, 30*time.Second, 10*time.Millisecond, "the join waits for the deactivation's row lock")
	res, err := end.Exec(`UPDATE meeting SET is_active = false WHERE id = $1 AND NOT EXISTS (
		SELECT 1 FROM join_intent WHERE meeting_id = $1 AND expires_at > $2)`, meetingID, now)
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "no committed intent: the deactivation ends the meeting")
	require.NoError(t, end.Commit())

	got := <-done
	require.NoError(t, got.err)
	require.Nil(t, got.m, "the join saw the end: it hands out no meeting")
}

// heldMeeting makes a room and its active ad-hoc meeting, and a transaction that holds the
// meeting's row lock (as a deactivation does) until the test ends it.
func heldMeeting(t *testing.T, db *sqlx.DB, roomName string, now time.Time) (uuid.UUID, *sqlx.Tx) {
	t.Helper()
	roomID, meetingID := uuid.New(), uuid.New()
	_, err := db.Exec(`INSERT INTO room (id, name, user_id, platform) VALUES ($1, $2, 'owner', 'daily')`, roomID, roomName)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO meeting (id, room_id, kind, platform, room_name, start_date, end_date, is_locked, room_mode,
		recording_type, recording_trigger, is_active) VALUES ($1, $2, 'adhoc', 'daily', 'prov', $3, $4, false, 'normal',
		'cloud', 'automatic', true)`, meetingID, roomID, now, now.Add(time.Hour))
	require.NoError(t, err)
	tx, err := db.BeginTxx(context.Background(), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tx.Rollback() })
	_, err = tx.Exec(`SELECT id FROM meeting WHERE id = $1 FOR UPDATE`, meetingID)
	require.NoError(t, err)
	return meetingID, tx
}
