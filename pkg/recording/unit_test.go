package recording

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func TestParseWherebyFilename(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key, room, at string
		ok            bool
	}{
		{"myroom-793e9ec1-c686-423d-9043-9b7a10c553fd-2025-01-01T00:00:00Z.mp4", "/myroom-793e9ec1-c686-423d-9043-9b7a10c553fd", "2025-01-01T00:00:00Z", true},
		{"folder/sub/a b-2025-06-30T23:59:59Z.mkv", "/a b", "2025-06-30T23:59:59Z", true},
		{"room-2025-01-01T00:00:00Z", "/room", "2025-01-01T00:00:00Z", true},
		{"-2025-01-01T00:00:00Z.mp4", "", "", false},
		{"room2025-01-01T00:00:00Z.mp4", "", "", false},
		{"room-2025-01-01.mp4", "", "", false},
	} {
		room, at, err := ParseWherebyFilename(tc.key)
		if !tc.ok {
			require.Error(t, err, tc.key)
			continue
		}
		require.NoError(t, err, tc.key)
		require.Equal(t, tc.room, room)
		require.Equal(t, tc.at, at.Format(time.RFC3339))
	}
}

func TestParseS3Event(t *testing.T) {
	t.Parallel()
	objs, err := ParseS3Event(`{"Records":[
		{"eventName":"ObjectCreated:CompleteMultipartUpload","s3":{"bucket":{"name":"b"},"object":{"key":"my+room%2B1-2025.mp4"}}},
		{"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"gone"}}}]}`)
	require.NoError(t, err)
	require.Equal(t, []S3Object{{Bucket: "b", Key: "my room+1-2025.mp4"}}, objs)

	objs, err = ParseS3Event(`{"Event":"s3:TestEvent"}`)
	require.NoError(t, err)
	require.Empty(t, objs)

	_, err = ParseS3Event(`not json`)
	require.Error(t, err)
}

func TestParseTrackKey(t *testing.T) {
	t.Parallel()
	tk, ok := ParseTrackKey("dom/daily-x-20260110042117/1768018896877-890c0eae-e186-4534-a7bd-7c794b7d6d7f-cam-audio-1768018914565")
	require.True(t, ok)
	require.Equal(t, TrackKey{RecordingStartMs: 1768018896877, TrackStartMs: 1768018914565,
		SessionID: "890c0eae-e186-4534-a7bd-7c794b7d6d7f", MediaType: "cam-audio"}, tk)
	_, ok = ParseTrackKey("dom/room/whatever.webm")
	require.False(t, ok)

	keys := audioTrackKeys([]DailyTrack{
		{Type: "audio", S3Key: "d/r/1-890c0eae-e186-4534-a7bd-7c794b7d6d7f-cam-audio-2"},
		{Type: "audio", S3Key: "d/r/1-890c0eae-e186-4534-a7bd-7c794b7d6d7f-screen-audio-2"},
		{Type: "video", S3Key: "d/r/1-890c0eae-e186-4534-a7bd-7c794b7d6d7f-cam-video-2"},
		{Type: "audio", S3Key: "d/r/odd-name"},
	})
	require.Equal(t, Strings{"d/r/1-890c0eae-e186-4534-a7bd-7c794b7d6d7f-cam-audio-2", "d/r/odd-name"}, keys)
	require.Equal(t, "d/r/1-", commonPrefix([]string{"d/r/1-a", "d/r/1-b"}))
}

func TestPickMeeting(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	m := func(startH, endH int) Meeting {
		return Meeting{ID: uuid.New(), StartDate: at.Add(time.Duration(startH) * time.Hour), EndDate: at.Add(time.Duration(endH) * time.Hour)}
	}
	later, containing, earlier := m(2, 3), m(-1, 1), m(-5, -4)
	got, ok := pickMeeting([]Meeting{later, containing, earlier}, at)
	require.True(t, ok)
	require.Equal(t, containing.ID, got.ID)
	got, _ = pickMeeting([]Meeting{later, earlier}, at)
	require.Equal(t, earlier.ID, got.ID, "latest that started before")
	got, _ = pickMeeting([]Meeting{later}, at)
	require.Equal(t, later.ID, got.ID)
	_, ok = pickMeeting(nil, at)
	require.False(t, ok)
}

func TestCanMove(t *testing.T) {
	t.Parallel()
	require.True(t, CanMove(StatusPending, StatusDownloading))
	require.True(t, CanMove(StatusDownloading, StatusStored))
	require.True(t, CanMove(StatusStored, StatusProcessing))
	require.True(t, CanMove(StatusProcessing, StatusCompleted))
	require.True(t, CanMove(StatusFailed, StatusPending))
	require.False(t, CanMove(StatusCompleted, StatusPending))
	require.False(t, CanMove(StatusPending, StatusCompleted))
}

func TestPermanent(t *testing.T) {
	t.Parallel()
	cause := errors.New("404")
	err := fmt.Errorf("ctx: %w", Permanent(cause))
	require.ErrorIs(t, err, ErrPermanent)
	require.ErrorIs(t, err, cause)
	require.Nil(t, Permanent(nil))
	require.NotErrorIs(t, cause, ErrPermanent)
}

func TestParseProbe(t *testing.T) {
	t.Parallel()
	info, err := parseProbe([]byte(`{"streams":[{"codec_type":"video"},{"codec_type":"audio"}],
		"format":{"format_name":"mov,mp4","duration":"12.5"}}`))
	require.NoError(t, err)
	require.Equal(t, MediaInfo{HasAudio: true, Duration: 12.5, Format: "mov,mp4"}, info)
	info, err = parseProbe([]byte(`{"streams":[{"codec_type":"video"}],"format":{}}`))
	require.NoError(t, err)
	require.False(t, info.HasAudio)
}

func TestStatusErr(t *testing.T) {
	t.Parallel()
	require.NoError(t, statusErr(200))
	require.ErrorIs(t, statusErr(404), ErrPermanent)
	require.ErrorIs(t, statusErr(403), ErrPermanent)
	require.NotErrorIs(t, statusErr(503), ErrPermanent)
	require.NotErrorIs(t, statusErr(429), ErrPermanent)
}

func TestDailyWalkWatermark(t *testing.T) {
	t.Parallel()
	require.Equal(t, int64(50), (&dailyWalk{watermark: 50}).nextWatermark(), "nothing seen: stay")
	require.Equal(t, int64(300), (&dailyWalk{watermark: 50, newest: 300}).nextWatermark())
	require.Equal(t, int64(200), (&dailyWalk{watermark: 50, newest: 300, oldestOpen: 200}).nextWatermark())

	d := 3.0
	ev, ok := dailyReadyFromList(DailyRecording{ID: "a", Duration: &d, Tracks: []DailyTrack{{Type: "audio"}}})
	require.True(t, ok)
	require.Equal(t, DailyRawTracks, ev.Type)
	ev, _ = dailyReadyFromList(DailyRecording{ID: "a", Duration: &d, S3Key: "k"})
	require.Equal(t, DailyCloud, ev.Type)
	_, ok = dailyReadyFromList(DailyRecording{ID: "a", Duration: &d})
	require.False(t, ok)
}
