package recording_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/recording"
)

func TestMissingRecordings(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	now := b.clock.Now()
	ended := meetingOpts{platform: "daily", start: now.Add(-2 * time.Hour), end: now.Add(-time.Hour)}

	withSessions := func(name string, n int, o meetingOpts) uuid.UUID {
		o.roomName = name
		id := b.meeting(t, o)
		for i := range n {
			b.session(t, id, name+"-s"+string(rune('a'+i)), "P")
		}
		return id
	}
	missing := withSessions("two-sessions", 2, ended)
	withSessions("one-session", 1, ended)
	started := withSessions("started", 0, ended)
	require.NoError(t, b.svc.RecordingStarted(b.ctx, "daily", "started", now.Add(-90*time.Minute)))
	noRec := ended
	noRec.recordingType = "none"
	withSessions("type-none", 3, noRec)
	localRec := ended
	localRec.recordingType = "local" // recorded in the browser: never reaches our buckets
	withSessions("type-local", 3, localRec)
	recent := ended
	recent.end = now.Add(-10 * time.Minute)
	withSessions("ended-recently", 2, recent)
	active := ended
	active.active = true
	withSessions("still-active", 2, active)
	landed := withSessions("landed", 2, ended)
	_, _, err := b.st.RecordingInsert(b.ctx, recording.Recording{ID: uuid.New(), Platform: "daily", Kind: recording.KindFile,
		Bucket: "b", ObjectKey: "k", RecordedAt: now, Status: recording.StatusStored, MeetingID: &landed})
	require.NoError(t, err)
	failed := withSessions("failed", 2, ended)
	_, _, err = b.st.RecordingInsert(b.ctx, recording.Recording{ID: uuid.New(), Platform: "daily", Kind: recording.KindFile,
		Bucket: "b", ObjectKey: "k2", RecordedAt: now, Status: recording.StatusPending, MeetingID: &failed})
	require.NoError(t, err)
	r, err := b.st.RecordingByObject(b.ctx, "b", "k2")
	require.NoError(t, err)
	require.NoError(t, b.st.RecordingSetStatus(b.ctx, r.ID, recording.StatusChange{From: "pending", To: "failed", At: now, Error: "boom"}))

	got, err := b.svc.MissingRecordings(b.ctx, now)
	require.NoError(t, err)
	ids := map[uuid.UUID]recording.MissingRecording{}
	for _, m := range got {
		ids[m.MeetingID] = m
	}
	require.Len(t, got, 3)
	require.Contains(t, ids, missing)
	require.True(t, ids[started].Started)
	require.Equal(t, "boom", ids[failed].FailedReason)
}

func TestReprocessFailed(t *testing.T) {
	t.Parallel()

	t.Run("OnlyConfiguredProviders", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{tweak: func(c *recording.Config) { c.Platforms = []string{"daily"} }})
		_, tr := b.handedOff(t, "wb")
		b.stt.FailNext(400)
		require.Error(t, b.svc.ProcessTranscript(b.ctx, tr.ID, 1))
		rep, err := b.svc.ReprocessFailed(b.ctx)
		require.NoError(t, err)
		require.Zero(t, rep.Retried, "whereby is not configured")
	})

	t.Run("RematchesOrphansAndSweepsUnknownObjects", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		key := "late-2026-03-02T09:30:00Z.wav"
		b.put(t, wherebyBucket, key, media(t, "a.wav", true))
		require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key))
		require.Nil(t, b.recordingByObject(t, wherebyBucket, key).MeetingID)
		b.meeting(t, meetingOpts{platform: "whereby", roomName: "/late"})
		b.put(t, wherebyBucket, "lost-2026-03-02T09:30:00Z.mp4", media(t, "b.wav", true))

		rep, err := b.svc.ReprocessFailed(b.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Reattached)
		require.Equal(t, 1, rep.Requeued)
		require.Equal(t, []recording.S3Object{{Bucket: wherebyBucket, Key: "lost-2026-03-02T09:30:00Z.mp4"}}, b.jobs.s3)
		b.drain(t)
		require.Equal(t, recording.StatusCompleted, b.recordingByObject(t, wherebyBucket, key).Status)
	})

	t.Run("FailedDownloadIsRetriedUpToMaxAttempts", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{tweak: func(c *recording.Config) { c.MaxAttempts = 2 }})
		srv, _ := source(t, media(t, "a.wav", true), 1000, 503)
		b.meeting(t, meetingOpts{platform: "daily", roomName: "dl"})
		rec, err := b.svc.CreateFromURL(b.ctx, recording.URLRecording{Platform: "daily", ProviderRecordingID: "x",
			ProviderRoomName: "dl", SourceURL: srv.URL + "/a.wav", RecordedAt: b.clock.Now()})
		require.NoError(t, err)
		require.ErrorIs(t, b.svc.DownloadRecording(b.ctx, rec.ID), recording.ErrPermanent)
		rep, err := b.svc.ReprocessFailed(b.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Retried)
		got, _ := b.st.RecordingByID(b.ctx, rec.ID)
		require.Equal(t, recording.StatusPending, got.Status)
		require.ErrorIs(t, b.svc.DownloadRecording(b.ctx, rec.ID), recording.ErrPermanent)
		rep, err = b.svc.ReprocessFailed(b.ctx)
		require.NoError(t, err)
		require.Zero(t, rep.Retried, "two runs used up MaxAttempts")
	})
}
