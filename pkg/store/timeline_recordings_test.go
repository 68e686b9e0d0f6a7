package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// TestTimelineRecordingEvents: each recording change of a meeting writes its timeline row in
// the statement that makes it, and only when something changed.
func TestTimelineRecordingEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.NewDB(t)
	s := store.NewRecordingStore(db)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	roomID, meetingID := uuid.New(), uuid.New()
	_, err := db.Exec(`INSERT INTO room (id, name, user_id, platform) VALUES ($1, 'rec-tl', 'owner', 'daily')`, roomID)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO meeting (id, room_id, platform, room_name, start_date, end_date, is_locked, room_mode,
		recording_type, recording_trigger, is_active) VALUES ($1, $2, 'daily', 'prov', $3, $3, false, 'normal', 'cloud',
		'automatic', false)`, meetingID, roomID, now)
	require.NoError(t, err)

	require.NoError(t, s.MeetingSetRecordingStarted(ctx, meetingID, now))
	require.NoError(t, s.MeetingSetRecordingStarted(ctx, meetingID, now.Add(time.Minute)), "only the first start is kept")
	rec := recording.Recording{ID: uuid.New(), Platform: "daily", ProviderRecordingID: "p1", Kind: recording.KindRawTracks,
		Bucket: "b", ObjectKey: "k", RecordedAt: now, Status: recording.StatusPending, MeetingID: &meetingID, CreatedAt: now}
	_, created, err := s.RecordingInsert(ctx, rec)
	require.NoError(t, err)
	require.True(t, created)
	_, created, err = s.RecordingInsert(ctx, rec)
	require.NoError(t, err)
	require.False(t, created, "a known recording is not ready twice")
	require.NoError(t, s.RecordingSetStatus(ctx, rec.ID, recording.StatusChange{From: recording.StatusPending,
		To: recording.StatusDownloading, At: now}))
	require.NoError(t, s.RecordingSetStatus(ctx, rec.ID, recording.StatusChange{From: recording.StatusDownloading,
		To: recording.StatusStored, At: now, SizeBytes: 42}))
	require.ErrorIs(t, s.RecordingSetStatus(ctx, rec.ID, recording.StatusChange{From: recording.StatusPending,
		To: recording.StatusStored, At: now}), recording.ErrStatusConflict, "a lost compare-and-set records nothing")
	tr := recording.Transcript{ID: uuid.New(), RecordingID: rec.ID, MeetingID: meetingID, RoomID: roomID, Title: "t",
		SourceKind: "room", ShareMode: "private", Status: "uploaded", Generation: 1}
	require.NoError(t, s.TranscriptInsert(ctx, tr))
	require.NoError(t, s.TranscriptSaveResult(ctx, tr, now))

	var kinds []string
	require.NoError(t, db.Select(&kinds, `SELECT kind FROM meeting_event WHERE meeting_id = $1 ORDER BY id`, meetingID))
	require.Equal(t, []string{"recording_started", "recording_ready", "recording_ingested", "transcript_done"}, kinds)
	var size int
	require.NoError(t, db.Get(&size, `SELECT (detail->>'size_bytes')::int FROM meeting_event WHERE kind = 'recording_ingested'`))
	require.Equal(t, 42, size)
}
