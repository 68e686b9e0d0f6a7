package calendar_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/room"
)

func TestRoomViews(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T12:00:00Z"})
	ctx := context.Background()
	r := b.room()

	st, err := b.svc.StatusFor(ctx, r, "owner")
	require.NoError(t, err)
	require.Equal(t, calendar.ICSStatus{Status: "enabled"}, st, "never synced")

	res := b.sync(t, false)
	st, err = b.svc.StatusFor(ctx, r, "owner")
	require.NoError(t, err)
	require.Equal(t, "enabled", st.Status)
	require.True(t, at("2026-03-02T12:00:00Z").Equal(*st.LastSync))
	require.True(t, calendar.NextSlot(b.roomID, 300*time.Second, b.clock.Now()).Equal(*st.NextSync), "the next slot boundary")
	require.True(t, st.NextSync.After(b.clock.Now()) && !st.NextSync.After(b.clock.Now().Add(300*time.Second)),
		"within one fetch interval")
	require.Equal(t, res.Hash, *st.LastEtag)
	require.Equal(t, 2, st.EventsCount)

	t.Run("owners see description and attendees, others do not", func(t *testing.T) {
		owner, err := b.svc.EventsFor(ctx, r, "owner")
		require.NoError(t, err)
		require.Len(t, owner, 2)
		require.NotNil(t, owner[0].Description)
		require.NotEmpty(t, owner[0].Attendees)

		public, err := b.svc.EventsFor(ctx, r, "someone")
		require.NoError(t, err)
		body, err := json.Marshal(public[0])
		require.NoError(t, err)
		var got map[string]any
		require.NoError(t, json.Unmarshal(body, &got))
		require.Nil(t, got["description"])
		require.Nil(t, got["attendees"])
		require.Equal(t, "Intro call with JLee", got["title"])
		require.Equal(t, "2026-03-02T14:30:00Z", got["start_time"])
		require.Equal(t, "https://reflector.example.com/max", got["location"])
		for _, k := range []string{"id", "room_id", "ics_uid", "end_time", "last_synced", "created_at", "updated_at"} {
			require.Contains(t, got, k)
		}
	})
	t.Run("upcoming includes ongoing events and honours minutes_ahead", func(t *testing.T) {
		up, err := b.svc.UpcomingFor(ctx, r, "", 120)
		require.NoError(t, err)
		require.Empty(t, up, "14:30 is more than 2 h after 12:00")
		up, err = b.svc.UpcomingFor(ctx, r, "", 180)
		require.NoError(t, err)
		require.Len(t, up, 2)
		b.clock.Set(at("2026-03-02T14:45:00Z"))
		up, err = b.svc.UpcomingFor(ctx, r, "", 0)
		require.NoError(t, err)
		require.Len(t, up, 2, "started, not ended")
		b.clock.Set(at("2026-03-02T15:00:01Z"))
		up, err = b.svc.UpcomingFor(ctx, r, "", 120)
		require.NoError(t, err)
		require.Empty(t, up)
	})
	t.Run("a disabled room has no next sync", func(t *testing.T) {
		_, err := b.db.Exec(`UPDATE room SET ics_enabled = false WHERE id = $1`, b.roomID)
		require.NoError(t, err)
		st, err := b.svc.StatusFor(ctx, r, "owner")
		require.NoError(t, err)
		require.Equal(t, "disabled", st.Status)
		require.NotNil(t, st.LastSync)
		require.Nil(t, st.NextSync)
	})
	t.Run("the sync result serialises as ICSSyncResult", func(t *testing.T) {
		body, err := json.Marshal(calendar.SyncResult{Status: calendar.SyncSkipped, Reason: "ICS not configured"})
		require.NoError(t, err)
		require.JSONEq(t, `{"status":"skipped","events_found":0,"total_events":0,"events_created":0,
			"events_updated":0,"events_deleted":0,"reason":"ICS not configured"}`, string(body))
	})
}

// room is the bundle's room as the room service would hand it over (owned by "owner").
func (b *testBundle) room() room.Room { return room.Room{ID: b.roomID, Name: "max", UserID: "owner"} }

// TestOwnerRules: the calendar service, not the HTTP layer, decides who may sync a room's feed,
// read its sync status and see its events' descriptions and attendees.
func TestOwnerRules(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T12:00:00Z"})
	ctx := context.Background()
	r := b.room()
	for _, who := range []string{"someone", ""} {
		_, err := b.svc.SyncFor(ctx, r, who)
		require.ErrorIs(t, err, calendar.ErrSyncNotOwner, "caller %q", who)
		_, err = b.svc.StatusFor(ctx, r, who)
		require.ErrorIs(t, err, calendar.ErrStatusNotOwner, "caller %q", who)
	}
	require.Empty(t, b.events(t), "a refused sync fetches nothing")
	ownerless := room.Room{ID: b.roomID}
	_, err := b.svc.SyncFor(ctx, ownerless, "")
	require.ErrorIs(t, err, calendar.ErrSyncNotOwner, "an anonymous caller does not own a room without owner")

	res, err := b.svc.SyncFor(ctx, r, "owner")
	require.NoError(t, err)
	require.Equal(t, calendar.SyncSuccess, res.Status)
	require.Len(t, b.events(t), 2)
	st, err := b.svc.StatusFor(ctx, r, "owner")
	require.NoError(t, err)
	require.Equal(t, 2, st.EventsCount)

	for _, who := range []string{"someone", ""} {
		events, err := b.svc.EventsFor(ctx, r, who)
		require.NoError(t, err)
		up, err := b.svc.UpcomingFor(ctx, r, who, 180)
		require.NoError(t, err)
		require.Len(t, events, 2)
		require.Len(t, up, 2)
		for _, e := range append(events, up...) {
			require.Nil(t, e.Description, "caller %q", who)
			require.Nil(t, e.Attendees, "caller %q", who)
		}
	}
	up, err := b.svc.UpcomingFor(ctx, r, "owner", 180)
	require.NoError(t, err)
	require.NotNil(t, up[0].Description)
	require.NotEmpty(t, up[0].Attendees)
}
