package recording_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/objstore"
	"github.com/monadical/reflector-go/pkg/recording"
)

// handedOff makes a Whereby recording with a transcript queued and returns both.
func (b *testBundle) handedOff(t *testing.T, room string) (recording.Recording, recording.Transcript) {
	t.Helper()
	b.meeting(t, meetingOpts{platform: "whereby", roomName: "/" + room})
	key := room + "-2026-03-02T09:30:00Z.wav"
	b.put(t, wherebyBucket, key, media(t, "a.wav", true))
	require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key))
	rec := b.recordingByObject(t, wherebyBucket, key)
	return rec, b.transcriptFor(t, rec.ID)
}

func TestProcessTranscript(t *testing.T) {
	t.Parallel()

	t.Run("OldGenerationIsNoOp", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		_, tr := b.handedOff(t, "gen")
		gen, err := b.svc.Reprocess(b.ctx, tr.ID, false)
		require.NoError(t, err)
		require.Equal(t, 2, gen)
		require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, 1))
		require.Empty(t, b.stt.Uploads(), "generation 1 is stale")
		require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, 2))
		require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, 2)) // a duplicate run
		require.Len(t, b.stt.Uploads(), 1)
	})

	t.Run("ReprocessRefusesFinishedWithoutForce", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		rec, tr := b.handedOff(t, "force")
		b.drain(t)
		_, err := b.svc.Reprocess(b.ctx, tr.ID, false)
		require.ErrorIs(t, err, recording.ErrAlreadyDone)
		gen, err := b.svc.Reprocess(b.ctx, tr.ID, true)
		require.NoError(t, err)
		b.drain(t)
		got := b.transcriptFor(t, rec.ID)
		require.Equal(t, gen, got.Generation)
		require.Equal(t, recording.TranscriptEnded, got.Status)
		require.Len(t, b.stt.Uploads(), 2)
	})

	t.Run("TransientSTTErrorIsRetriedPermanentFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		rec, tr := b.handedOff(t, "stt")
		b.stt.FailNext(http.StatusServiceUnavailable)
		err := b.svc.ProcessTranscript(b.ctx, tr.ID, 1)
		require.Error(t, err)
		require.NotErrorIs(t, err, recording.ErrPermanent)
		require.Contains(t, b.transcriptFor(t, rec.ID).Error, "503")

		b.stt.FailNext(http.StatusBadRequest)
		err = b.svc.ProcessTranscript(b.ctx, tr.ID, 1)
		require.ErrorIs(t, err, recording.ErrPermanent)
		require.Equal(t, recording.TranscriptError, b.transcriptFor(t, rec.ID).Status)
		got, _ := b.st.RecordingByID(b.ctx, rec.ID)
		require.Equal(t, recording.StatusFailed, got.Status)

		// The nightly pass restarts it with a new generation.
		rep, err := b.svc.ReprocessFailed(b.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Retried)
		b.drain(t)
		require.Equal(t, recording.TranscriptEnded, b.transcriptFor(t, rec.ID).Status)
	})

	t.Run("RefusedConsentDeletesAudio", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		rec, tr := b.handedOff(t, "consent")
		b.consent(t, *rec.MeetingID, "u1", true)
		b.consent(t, *rec.MeetingID, "u2", false)
		b.drain(t)
		got := b.transcriptFor(t, rec.ID)
		require.True(t, got.AudioDeleted)
		require.Len(t, got.Segments, 2, "the transcript is kept")
		_, _, err := b.s3.Store.Open(b.ctx, rec.Bucket, rec.ObjectKey)
		require.ErrorIs(t, err, objstore.ErrNotFound)
		_, err = b.svc.Reprocess(b.ctx, tr.ID, true)
		require.ErrorIs(t, err, recording.ErrAudioDeleted)
	})

	t.Run("ConsentGivenKeepsAudio", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		rec, _ := b.handedOff(t, "keep")
		b.consent(t, *rec.MeetingID, "u1", true)
		b.drain(t)
		require.False(t, b.transcriptFor(t, rec.ID).AudioDeleted)
	})

	t.Run("LostEnqueueIsRequeued", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		b.jobs.setDown(true)
		b.meeting(t, meetingOpts{platform: "whereby", roomName: "/lost"})
		key := "lost-2026-03-02T09:30:00Z.wav"
		b.put(t, wherebyBucket, key, media(t, "a.wav", true))
		require.Error(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key))
		b.jobs.setDown(false)
		b.clock.Advance(time.Hour)
		n, err := b.svc.RequeueStalled(b.ctx, 10*time.Minute)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		b.drain(t)
		require.Equal(t, recording.TranscriptEnded, b.transcriptFor(t, b.recordingByObject(t, wherebyBucket, key).ID).Status)
	})
}
