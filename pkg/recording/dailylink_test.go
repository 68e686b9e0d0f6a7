package recording_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/recording"
)

// stoppedCloudRecording records a cloud recording of a new emulated Daily room and stops it:
// Daily keeps the file, reachable through the recording's access link.
func stoppedCloudRecording(t *testing.T) (*daily.Client, recording.DailyReady) {
	t.Helper()
	ctx := context.Background()
	emu := emulator.NewDaily(emulator.DailyOptions{APIKey: "k"})
	url, stop := emu.Start()
	t.Cleanup(stop)
	c := daily.New(daily.Config{BaseURL: url, APIKey: "k", WebhookSecret: emu.WebhookSecret(), RatePerSecond: 1000})
	m, err := c.CreateMeeting(ctx, platform.CreateRequest{MeetingID: "m", Room: platform.RoomSettings{Name: "cloud",
		RecordingType: "cloud"}, EndDate: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	_, err = c.StartRecording(ctx, platform.RecordingStartRequest{RoomName: m.RoomName, Type: "cloud"})
	require.NoError(t, err)
	rec, ok := emu.StopRecording(m.RoomName, "")
	require.True(t, ok)
	return c, recording.DailyReady{Type: recording.DailyCloud, RecordingID: rec.ID, RoomName: rec.RoomName,
		StartTS: rec.StartTS, Duration: float64(*rec.Duration), S3Key: rec.S3Key}
}

// TestDailyCloudFromAccessLink: without a Daily bucket of ours, a cloud recording's
// ready-to-download fetches its access link and goes through CreateFromURL: downloaded into
// our bucket, checked for audio, transcribed. The signed link never reaches the logs.
func TestDailyCloudFromAccessLink(t *testing.T) {
	t.Parallel()
	client, ev := stoppedCloudRecording(t)
	logs, seen := observer.New(zapcore.DebugLevel)
	b := setup(t, setupOpts{tweak: func(c *recording.Config) {
		c.DailyBucket, c.DailyLinks, c.Logger = "", client, zap.New(logs)
	}})
	meetingID := b.meeting(t, meetingOpts{platform: "daily", roomName: ev.RoomName})

	require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev))
	require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev), "a webhook retry")
	require.Len(t, b.jobs.downloads, 1, "one download, however often the event comes")
	rec := b.recording(t, b.jobs.downloads[0])
	require.Equal(t, recording.KindFile, rec.Kind)
	require.Equal(t, ev.RecordingID, rec.ProviderRecordingID)
	require.Equal(t, &meetingID, rec.MeetingID)

	require.NoError(t, b.svc.DownloadRecording(b.ctx, rec.ID))
	b.drain(t)
	require.Equal(t, recording.StatusCompleted, b.recording(t, rec.ID).Status)
	require.Equal(t, recording.TranscriptEnded, b.transcriptFor(t, rec.ID).Status)
	for _, e := range seen.All() {
		line := e.Message + " " + fmt.Sprint(e.ContextMap())
		require.NotContains(t, line, "signature=", "a signed link was logged: %s", line)
	}
}

// TestDailyRawTracksNeedOurBucket: raw tracks live only in a customer bucket; without one the
// event is refused for good rather than retried.
func TestDailyRawTracksNeedOurBucket(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{tweak: func(c *recording.Config) { c.DailyBucket = "" }})
	err := b.svc.HandleDailyReady(b.ctx, b.rawTracks(t, "raw", "rec-raw"))
	require.ErrorIs(t, err, recording.ErrPermanent)
}

// TestPollDailyCloudWithoutOurBucket: the polling fallback takes the same path when the
// webhook was lost.
func TestPollDailyCloudWithoutOurBucket(t *testing.T) {
	t.Parallel()
	client, ev := stoppedCloudRecording(t)
	list := &dailyList{items: []recording.DailyRecording{{ID: ev.RecordingID, RoomName: ev.RoomName,
		StartTS: ev.StartTS, Status: "finished", Duration: &ev.Duration, S3Key: ev.S3Key, Type: recording.DailyCloud}}}
	b := setup(t, setupOpts{daily: list, tweak: func(c *recording.Config) { c.DailyBucket, c.DailyLinks = "", client }})
	b.meeting(t, meetingOpts{platform: "daily", roomName: ev.RoomName})
	n, err := b.svc.PollDaily(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, b.jobs.downloads, 1)
	require.Equal(t, ev.RecordingID, b.recording(t, b.jobs.downloads[0]).ProviderRecordingID)
}
