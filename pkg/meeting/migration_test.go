package meeting_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestDailyMigrationAtMeetingTime is seed 003's "gradual migration" scenario: two existing
// Whereby rooms; the operator sets DAILY_MIGRATION_ENABLED and lists one of them in
// DAILY_MIGRATION_ROOM_IDS, and restarts. Every new meeting of the listed room (ad-hoc,
// allow-duplicated, calendar) is made on Daily, the other room stays on Whereby, both work,
// and the rooms' stored platform stays the owner's choice.
func TestDailyMigrationAtMeetingTime(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{Whereby: true})
	ctx := context.Background()
	onWhereby := func(in *room.Input) { in.Platform = platform.Whereby }
	listed := a.CreateRoom(t, "moving", onWhereby)
	other := a.CreateRoom(t, "staying", onWhereby)

	before, err := a.Meetings.GetOrCreate(ctx, "moving", "u1", "", false)
	require.NoError(t, err)
	require.Equal(t, platform.Whereby, before.Meeting.Platform, "before the restart the stored platform is used")

	restartedWith := func(enabled bool, platforms meeting.Platforms) *meeting.Service {
		cfg := apptest.Config()
		cfg.DefaultPlatform, cfg.DailyMigrationEnabled = platform.Whereby, enabled
		cfg.DailyMigrationRoomIDs = []string{listed.ID.String()}
		return setup.MeetingService(cfg, setup.LifecycleDeps{DB: a.DB, Platforms: platforms,
			Jobs: tasks.Jobs{Q: a.Queue}, Log: a.Log})
	}
	restarted := func(enabled bool) *meeting.Service { return restartedWith(enabled, a.Platforms) }
	svc := restarted(true)

	t.Run("the listed room's extra meeting is on Daily", func(t *testing.T) {
		h, err := svc.GetOrCreate(ctx, "moving", "u1", "", true)
		require.NoError(t, err)
		require.Equal(t, platform.Daily, h.Meeting.Platform)
		require.True(t, a.Daily.RoomExists(h.Meeting.RoomName), "the provider room is Daily's")
	})
	t.Run("the listed room's next ad-hoc meeting is on Daily", func(t *testing.T) {
		_, err := a.DB.Exec(`UPDATE meeting SET is_active = false WHERE id = $1`, before.Meeting.ID)
		require.NoError(t, err)
		h, err := svc.GetOrCreate(ctx, "moving", "u1", "", false)
		require.NoError(t, err)
		require.NotEqual(t, before.Meeting.ID, h.Meeting.ID)
		require.Equal(t, platform.Daily, h.Meeting.Platform)
		require.True(t, a.Daily.RoomExists(h.Meeting.RoomName))
	})
	t.Run("the listed room's calendar meeting is on Daily", func(t *testing.T) {
		m := calendarMeeting(t, a, svc, listed.ID)
		require.Equal(t, platform.Daily, m.Platform)
	})
	t.Run("an unlisted room stays on Whereby", func(t *testing.T) {
		h, err := svc.GetOrCreate(ctx, "staying", "u1", "", false)
		require.NoError(t, err)
		require.Equal(t, platform.Whereby, h.Meeting.Platform)
		require.True(t, a.Whereby.RoomExists(h.Meeting.RoomName))
		require.Equal(t, platform.Whereby, calendarMeeting(t, a, svc, other.ID).Platform)
	})
	t.Run("the rooms keep their stored platform", func(t *testing.T) {
		for _, id := range []uuid.UUID{listed.ID, other.ID} {
			require.Equal(t, platform.Whereby, a.Scalar(t, `SELECT platform FROM room WHERE id = $1`, id))
		}
	})
	t.Run("with the migration switched off the listed room goes back", func(t *testing.T) {
		h, err := restarted(false).GetOrCreate(ctx, "moving", "u1", "", true)
		require.NoError(t, err)
		require.Equal(t, platform.Whereby, h.Meeting.Platform)
	})
	t.Run("without a Daily client the listed room keeps its platform", func(t *testing.T) {
		wb, err := a.Platforms.Get(platform.Whereby)
		require.NoError(t, err)
		h, err := restartedWith(true, platform.NewRegistry(wb)).GetOrCreate(ctx, "moving", "u1", "", true)
		require.NoError(t, err)
		require.Equal(t, platform.Whereby, h.Meeting.Platform)
	})
}

// calendarMeeting makes a calendar meeting of the room through svc and reads it back.
func calendarMeeting(t *testing.T, a *apptest.App, svc *meeting.Service, roomID uuid.UUID) meeting.Meeting {
	t.Helper()
	ctx := context.Background()
	eventID := uuid.New()
	_, err := a.DB.Exec(`INSERT INTO calendar_event (id, room_id, ics_uid, start_time, end_time)
		VALUES ($1, $2, $3, now(), now() + interval '1 hour')`, eventID, roomID, eventID.String())
	require.NoError(t, err)
	start := time.Now().UTC().Add(5 * time.Minute).Truncate(time.Second)
	id, err := svc.CreateCalendar(ctx, roomID, eventID, start, start.Add(time.Hour), meeting.RawJSON(`{}`))
	require.NoError(t, err)
	m, err := store.NewMeetingStore(a.DB).MeetingByID(ctx, id)
	require.NoError(t, err)
	return m
}
