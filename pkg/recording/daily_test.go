package recording_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/recording"
)

const (
	sessA = "890c0eae-e186-4534-a7bd-7c794b7d6d7f"
	sessB = "9660e8e9-4297-4f17-951d-0b2bf2401803"
)

func trackKey(room, sess, media string, trackStartMs int64) string {
	return "dom/" + room + "/1772442000000-" + sess + "-" + media + "-" + strconv.FormatInt(trackStartMs, 10)
}

// rawTracks uploads two speakers' audio tracks and a video track and returns the event.
func (b *testBundle) rawTracks(t *testing.T, room, id string) recording.DailyReady {
	t.Helper()
	wav := media(t, "a.wav", true)
	ka := trackKey(room, sessA, "cam-audio", 1772442000000)
	kb := trackKey(room, sessB, "cam-audio", 1772442005000)
	b.put(t, dailyBucket, ka, wav)
	b.put(t, dailyBucket, kb, wav)
	return recording.DailyReady{
		Type: recording.DailyRawTracks, RecordingID: id, RoomName: room, StartTS: 1772442000, Duration: 60,
		S3Key: "dom/" + room + "/1772442000000",
		Tracks: []recording.DailyTrack{{Type: "audio", S3Key: ka, Size: 1}, {Type: "audio", S3Key: kb, Size: 1},
			{Type: "video", S3Key: trackKey(room, sessA, "cam-video", 1772442000000), Size: 1}},
	}
}

func TestDailyReady(t *testing.T) {
	t.Parallel()

	t.Run("RawTracksTranscribedPerTrackWithSpeakerNames", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		mid := b.meeting(t, meetingOpts{platform: "daily", roomName: "r1-20260302"})
		b.session(t, mid, sessA, "Alice")
		b.session(t, mid, sessB, "Bob")
		ev := b.rawTracks(t, "r1-20260302", "rec-1")

		require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev))
		require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev)) // webhook retry
		require.Len(t, b.jobs.queuedTranscripts(), 1)
		b.drain(t)

		rec := b.recordingByObject(t, dailyBucket, ev.S3Key)
		require.Equal(t, recording.KindRawTracks, rec.Kind)
		require.Equal(t, recording.Strings{ev.Tracks[0].S3Key, ev.Tracks[1].S3Key}, rec.TrackKeys)
		require.Equal(t, recording.StatusCompleted, rec.Status)
		tr := b.transcriptFor(t, rec.ID)
		require.Equal(t, recording.TranscriptEnded, tr.Status)
		require.Equal(t, "Alice", tr.Participants[0].Name)
		require.Equal(t, "Bob", tr.Participants[1].Name)
		require.Len(t, tr.Segments, 4)
		require.Equal(t, 1, tr.Segments[len(tr.Segments)-1].Speaker)
		require.InDelta(t, 7.0, tr.Segments[len(tr.Segments)-1].Start, 0.001, "Bob's track starts 5 s late")
		require.InDelta(t, 60000, tr.Duration, 0.1)
		require.Len(t, b.stt.Uploads(), 2, "one request per audio track")
	})

	t.Run("CloudSetsComposedVideoFirstWins", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		mid := b.meeting(t, meetingOpts{platform: "daily", roomName: "r2"})
		ev := recording.DailyReady{Type: "cloud", RecordingID: "c1", RoomName: "r2", StartTS: 1772442000, Duration: 80, S3Key: "dom/r2/1"}
		require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev))
		ev2 := ev
		ev2.RecordingID, ev2.S3Key = "c2", "dom/r2/2"
		require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev2))

		var key string
		var dur int
		require.NoError(t, b.db.QueryRowContext(b.ctx, `SELECT daily_composed_video_s3_key, daily_composed_video_duration
			FROM meeting WHERE id = $1`, mid).Scan(&key, &dur))
		require.Equal(t, "dom/r2/1", key)
		require.Equal(t, 80, dur)
		rec := b.recordingByObject(t, dailyBucket, "dom/r2/1")
		require.Equal(t, recording.StatusCompleted, rec.Status)
		require.Empty(t, b.jobs.queuedTranscripts(), "composed videos are not transcribed")
	})

	t.Run("UnknownRoomIsOrphanNotError", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		ev := b.rawTracks(t, "ghost", "rec-g")
		require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev))
		rec := b.recordingByObject(t, dailyBucket, ev.S3Key)
		require.Nil(t, rec.MeetingID)
		require.Contains(t, rec.OrphanReason, `"ghost"`)
	})

	t.Run("NoAudioTrackFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		b.meeting(t, meetingOpts{platform: "daily", roomName: "r3"})
		ev := recording.DailyReady{Type: "raw-tracks", RecordingID: "v", RoomName: "r3", StartTS: 1772442000, S3Key: "dom/r3/1",
			Tracks: []recording.DailyTrack{{Type: "video", S3Key: "dom/r3/1-v"}}}
		err := b.svc.HandleDailyReady(b.ctx, ev)
		require.ErrorIs(t, err, recording.ErrPermanent)
		require.Equal(t, recording.StatusFailed, b.recordingByObject(t, dailyBucket, "dom/r3/1").Status)
	})
}

// dailyList is a fake Daily recordings list, newest first, paged by starting_after.
type dailyList struct {
	mu    sync.Mutex
	items []recording.DailyRecording
	calls int
}

func (d *dailyList) ListRecordings(_ context.Context, _, after string, limit int) ([]recording.DailyRecording, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	start := 0
	if after != "" {
		for i, it := range d.items {
			if it.ID == after {
				start = i + 1
			}
		}
	}
	end := min(start+limit, len(d.items))
	return append([]recording.DailyRecording(nil), d.items[start:end]...), nil
}

func TestPollDaily(t *testing.T) {
	t.Parallel()

	t.Run("HandlesFinishedAndRemembersWhereItStopped", func(t *testing.T) {
		t.Parallel()
		list := &dailyList{}
		b := setup(t, setupOpts{daily: list})
		b.meeting(t, meetingOpts{platform: "daily", roomName: "p1"})
		dur := 30.0
		list.items = []recording.DailyRecording{
			{ID: "open", RoomName: "p1", StartTS: 300, Status: "in-progress"},
			{ID: "c", RoomName: "p1", StartTS: 200, Status: "finished", Duration: &dur, S3Key: "dom/p1/200"},
			{ID: "old", RoomName: "p1", StartTS: 100, Status: "finished", Duration: &dur, S3Key: "dom/p1/100"},
		}
		n, err := b.svc.PollDaily(b.ctx)
		require.NoError(t, err)
		require.Equal(t, 2, n)
		cur, err := b.st.PollCursorGet(b.ctx, "daily:recordings")
		require.NoError(t, err)
		require.JSONEq(t, `{"watermark":300}`, cur, "kept at the recording still in progress")

		// The in-progress recording finishes; the next poll stops at the watermark.
		list.items[0] = recording.DailyRecording{ID: "open", RoomName: "p1", StartTS: 300, Status: "finished",
			Duration: &dur, S3Key: "dom/p1/300"}
		n, err = b.svc.PollDaily(b.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, recording.StatusCompleted, b.recordingByObject(t, dailyBucket, "dom/p1/300").Status)
	})
}
