package recording_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/recording"
)

// TestRecordingLogLinesCarryIDs (issue 12 item 4): every line of a recording's life (started,
// registered, stored, download tries, transcript queued and done, reprocessing, failures)
// names the meeting and its room besides the recording or transcript, so one grep on a
// meeting id finds its recordings too. It runs a Daily raw-tracks recording to a transcript,
// reprocesses and fails it, and a Whereby download that fails.
func TestRecordingLogLinesCarryIDs(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.DebugLevel)
	b := setup(t, setupOpts{tweak: func(c *recording.Config) { c.Logger = zap.New(core) }})

	daily := b.meeting(t, meetingOpts{platform: "daily", roomName: "logs-20260302"})
	b.session(t, daily, sessA, "Alice")
	require.NoError(t, b.svc.RecordingStarted(b.ctx, "daily", "logs-20260302", b.clock.Now()))
	require.NoError(t, b.svc.HandleDailyReady(b.ctx, b.rawTracks(t, "logs-20260302", "rec-logs")))
	b.drain(t)
	rec := b.recordingByObject(t, dailyBucket, "dom/logs-20260302/1772442000000")
	tr := b.transcriptFor(t, rec.ID)
	gen, err := b.svc.Reprocess(b.ctx, tr.ID, true)
	require.NoError(t, err)
	b.stt.FailNext(http.StatusServiceUnavailable)
	require.Error(t, b.svc.ProcessTranscript(b.ctx, tr.ID, gen))
	b.stt.FailNext(http.StatusBadRequest)
	require.ErrorIs(t, b.svc.ProcessTranscript(b.ctx, tr.ID, gen), recording.ErrPermanent)
	rep, err := b.svc.ReprocessFailed(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Retried)

	whereby := b.meeting(t, meetingOpts{platform: "whereby", roomName: "/dl-logs"})
	srv, _ := source(t, media(t, "a.wav", true), 1, http.StatusServiceUnavailable)
	dl, err := b.svc.CreateFromURL(b.ctx, recording.URLRecording{Platform: "whereby", ProviderRecordingID: "p-logs",
		ProviderRoomName: "/dl-logs", SourceURL: srv.URL + "/missing.wav", RecordedAt: b.clock.Now()})
	require.NoError(t, err)
	require.ErrorIs(t, b.svc.DownloadRecording(b.ctx, dl.ID), recording.ErrPermanent)

	rooms := map[string]string{daily.String(): b.roomOf(t, daily), whereby.String(): b.roomOf(t, whereby)}
	seen := map[string]bool{}
	for _, e := range logs.All() {
		if e.Message == "nightly recording retry" { // the run's summary, about no one recording
			continue
		}
		f := e.ContextMap()
		mid, _ := f["meeting_id"].(string)
		require.NotEmpty(t, rooms[mid], "%q names no meeting of the test: %v", e.Message, f)
		require.Equal(t, rooms[mid], f["room_id"], "%q: room of meeting %s", e.Message, mid)
		seen[e.Message] = true
	}
	for _, msg := range []string{"recording started", "recording registered", "recording stored", "transcript queued",
		"transcript done", "transcript reprocessing queued", "transcription try failed; the task is retried",
		"transcript failed", "recording failed"} {
		require.True(t, seen[msg], "no %q line; saw %v", msg, seen)
	}
}

// roomOf is the room id of a meeting.
func (b *testBundle) roomOf(t *testing.T, meetingID uuid.UUID) string {
	t.Helper()
	var room string
	require.NoError(t, b.db.Get(&room, `SELECT room_id::text FROM meeting WHERE id = $1`, meetingID))
	return room
}
