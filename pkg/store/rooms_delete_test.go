package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// Deleting a room deletes its meetings, and with them their join intents and timeline rows
// (a trigger since migration 0010 dropped those two foreign keys); other rooms keep theirs.
func TestRoomDeleteTakesIntentsAndTimelines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.NewDB(t)
	now := time.Now().UTC()
	rooms, meetings := []uuid.UUID{uuid.New(), uuid.New()}, []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
	owner := []int{0, 0, 1} // meetings 0 and 1 in room 0, meeting 2 in room 1
	for i, id := range rooms {
		_, err := db.Exec(`INSERT INTO room (id, name, user_id, platform) VALUES ($1, $2, 'owner', 'daily')`, id, id.String())
		require.NoError(t, err, "room %d", i)
	}
	for i, id := range meetings {
		_, err := db.Exec(`INSERT INTO meeting (id, room_id, platform, room_name, start_date, end_date, is_locked, room_mode,
			recording_type, recording_trigger, is_active) VALUES ($1, $2, 'daily', 'prov', $3, $3, false, 'normal', 'cloud',
			'automatic', false)`, id, rooms[owner[i]], now)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO join_intent (meeting_id, connection_id, state, created_at, updated_at, expires_at)
			VALUES ($1, 'c', 'joining', $2, $2, $2)`, id, now)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO meeting_event (meeting_id, at, kind) VALUES ($1, $2, 'handout')`, id, now)
		require.NoError(t, err)
	}
	require.NoError(t, store.NewRoomStore(db).RoomDelete(ctx, rooms[0]))
	for _, table := range []string{"meeting", "join_intent", "meeting_event"} {
		col := "meeting_id"
		if table == "meeting" {
			col = "id"
		}
		var left []uuid.UUID
		require.NoError(t, db.Select(&left, `SELECT `+col+` FROM `+table+` ORDER BY 1`))
		require.Equal(t, []uuid.UUID{meetings[2]}, left, "%s: only the other room's rows are left", table)
	}
}
