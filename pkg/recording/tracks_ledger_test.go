package recording_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/recording"
)

// TestTrackLedger: a transcription that fails (or whose worker dies) half-way is retried
// without asking the speech-to-text endpoint again for the tracks already transcribed.
func TestTrackLedger(t *testing.T) {
	t.Parallel()

	t.Run("RetryAsksOnlyForMissingTracks", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		mid := b.meeting(t, meetingOpts{platform: "daily", roomName: "ledger-20260302"})
		b.session(t, mid, sessA, "Alice")
		b.session(t, mid, sessB, "Bob")
		ev := b.rawTracks(t, "ledger-20260302", "rec-ledger")
		require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev))
		tr := b.jobs.queuedTranscripts()[0]

		b.stt.FailNext(0, http.StatusServiceUnavailable) // track A answers, track B fails
		require.Error(t, b.svc.ProcessTranscript(b.ctx, tr.ID, tr.Gen))
		require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, tr.Gen))

		require.Len(t, b.stt.Uploads(), 2, "one answered request per track: track A is not asked again")
		attempts := map[string]int{}
		rows, err := b.db.QueryContext(b.ctx, `SELECT track_key, attempts FROM transcript_track
			WHERE transcript_id = $1 AND result IS NOT NULL`, tr.ID)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			require.NoError(t, rows.Scan(&k, &n))
			attempts[k] = n
		}
		require.NoError(t, rows.Err())
		require.Equal(t, map[string]int{ev.Tracks[0].S3Key: 1, ev.Tracks[1].S3Key: 2}, attempts)
		got := b.transcriptFor(t, b.recordingByObject(t, dailyBucket, ev.S3Key).ID)
		require.Equal(t, recording.TranscriptEnded, got.Status)
		require.Len(t, got.Participants, 2)
	})

	t.Run("StoredResultIsNeverRequestedAgain", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		_, tr := b.handedOff(t, "twice")
		require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, tr.Generation))
		// A crash after the result was stored and before the transcript ended: the task runs
		// again on a transcript still processing.
		_, err := b.db.ExecContext(b.ctx, `UPDATE transcript SET status = 'processing' WHERE id = $1`, tr.ID)
		require.NoError(t, err)
		require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, tr.Generation))
		require.Len(t, b.stt.Uploads(), 1)
		require.Equal(t, recording.TranscriptEnded, b.transcriptFor(t, tr.RecordingID).Status)
	})
}
