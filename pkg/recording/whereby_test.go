package recording_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/objstore"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/sqsfake"
)

// s3Event is an S3 notification with the key form-encoded as S3 sends it.
func s3Event(bucket string, keys ...string) string {
	type rec struct {
		EventName string `json:"eventName"`
		S3        struct {
			Bucket struct {
				Name string `json:"name"`
			} `json:"bucket"`
			Object struct {
				Key string `json:"key"`
			} `json:"object"`
		} `json:"s3"`
	}
	var recs []rec
	for _, k := range keys {
		var r rec
		r.EventName = "ObjectCreated:Put"
		r.S3.Bucket.Name = bucket
		r.S3.Object.Key = url.QueryEscape(k)
		recs = append(recs, r)
	}
	b, _ := json.Marshal(map[string]any{"Records": recs})
	return string(b)
}

func TestPoller(t *testing.T) {
	t.Parallel()

	type pollBundle struct {
		fake   *sqsfake.Server
		url    string
		jobs   *jobs
		poller *recording.Poller
	}
	setupPoller := func(t *testing.T) pollBundle {
		t.Helper()
		fake, ts := sqsfake.NewServer()
		t.Cleanup(ts.Close)
		client, err := objstore.NewSQSClient(context.Background(), objstore.Config{
			Region: "us-east-1", Endpoint: ts.URL, AccessKeyID: "k", SecretAccessKey: "s",
		})
		require.NoError(t, err)
		url := fake.CreateQueue("whereby")
		j := &jobs{seen: map[string]bool{}}
		p, err := recording.NewPoller(recording.PollerConfig{SQS: client, QueueURL: url, Enqueuer: j,
			Logger: zaptest.NewLogger(t), WaitSeconds: 1})
		require.NoError(t, err)
		return pollBundle{fake: fake, url: url, jobs: j, poller: p}
	}

	t.Run("EnqueuesDecodedKeysThenDeletes", func(t *testing.T) {
		t.Parallel()
		b := setupPoller(t)
		_, err := b.fake.Send(b.url, s3Event("wb", "rec/my room-2025-01-01T00:00:00Z.mp4", "a+b.mkv"))
		require.NoError(t, err)
		_, err = b.fake.Send(b.url, `{"Service":"Amazon S3","Event":"s3:TestEvent"}`)
		require.NoError(t, err)
		res, err := b.poller.PollOnce(context.Background())
		require.NoError(t, err)
		require.Equal(t, recording.PollResult{Received: 2, Enqueued: 2, Deleted: 2}, res)
		require.Equal(t, []recording.S3Object{{Bucket: "wb", Key: "rec/my room-2025-01-01T00:00:00Z.mp4"},
			{Bucket: "wb", Key: "a+b.mkv"}}, b.jobs.s3)
		require.Zero(t, b.fake.Len(b.url))
	})

	t.Run("KeepsMessageWhenEnqueueFails", func(t *testing.T) {
		t.Parallel()
		b := setupPoller(t)
		_, err := b.fake.Send(b.url, s3Event("wb", "x-2025-01-01T00:00:00Z.mp4"))
		require.NoError(t, err)
		b.jobs.setDown(true)
		res, err := b.poller.PollOnce(context.Background())
		require.Error(t, err)
		require.Equal(t, 1, res.Kept)
		require.Equal(t, 1, b.fake.Len(b.url), "not deleted before its task is enqueued")

		b.jobs.setDown(false)
		b.fake.ExpireVisibility(b.url)
		res, err = b.poller.PollOnce(context.Background())
		require.NoError(t, err)
		require.Equal(t, 1, res.Deleted)
		require.Zero(t, b.fake.Len(b.url))
	})

	t.Run("RedeliveryAfterFailedDeleteEnqueuesOnce", func(t *testing.T) {
		t.Parallel()
		b := setupPoller(t)
		_, err := b.fake.Send(b.url, s3Event("wb", "x-2025-01-01T00:00:00Z.mp4"))
		require.NoError(t, err)
		b.fake.FailNext("DeleteMessage", 5) // more than the SDK's retries
		_, err = b.poller.PollOnce(context.Background())
		require.Error(t, err)
		b.fake.ExpireVisibility(b.url)
		_, err = b.poller.PollOnce(context.Background())
		require.NoError(t, err)
		require.Len(t, b.jobs.s3, 1)
		require.Equal(t, 1, b.jobs.dups, "the second delivery hits the same task id")
	})

	t.Run("EmptyQueueReturnsAfterWait", func(t *testing.T) {
		t.Parallel()
		b := setupPoller(t)
		res, err := b.poller.PollOnce(context.Background())
		require.NoError(t, err)
		require.Zero(t, res.Received)
	})
}

func TestProcessS3Object(t *testing.T) {
	t.Parallel()

	t.Run("MatchesMeetingAndHandsOffOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		mid := b.meeting(t, meetingOpts{platform: "whereby", roomName: "/my room-abc"})
		key := "sub/my room-abc-2026-03-02T09:30:00Z.mp4"
		b.put(t, wherebyBucket, key, media(t, "a.mp4", true))

		require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key))
		require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key)) // redelivered task

		rec := b.recordingByObject(t, wherebyBucket, key)
		require.Equal(t, &mid, rec.MeetingID)
		require.Equal(t, recording.StatusStored, rec.Status)
		require.InDelta(t, 2.0, rec.Duration, 0.1)
		require.Equal(t, "2026-03-02T09:30:00Z", rec.RecordedAt.UTC().Format("2006-01-02T15:04:05Z"))
		tr := b.transcriptFor(t, rec.ID)
		require.Equal(t, "room", tr.SourceKind)
		require.Equal(t, "public", tr.ShareMode)
		require.Equal(t, "owner-1", tr.UserID)
		require.Equal(t, mid, tr.MeetingID)
		require.Len(t, b.jobs.queuedTranscripts(), 1)
		require.Equal(t, 1, b.jobs.dups)

		b.drain(t)
		tr = b.transcriptFor(t, rec.ID)
		require.Equal(t, recording.TranscriptEnded, tr.Status)
		require.Len(t, tr.Segments, 2)
		require.Equal(t, recording.StatusCompleted, b.recordingByObject(t, wherebyBucket, key).Status)
	})

	t.Run("UnknownMeetingIsKeptAsOrphan", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		key := "nobody-2026-03-02T09:30:00Z.mp4"
		b.put(t, wherebyBucket, key, media(t, "a.mp4", true))
		require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key))
		rec := b.recordingByObject(t, wherebyBucket, key)
		require.Nil(t, rec.MeetingID)
		require.Contains(t, rec.OrphanReason, `"/nobody"`)
		require.Empty(t, b.jobs.queuedTranscripts())
	})

	t.Run("UnparseableNameIsKeptAsOrphan", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		b.put(t, wherebyBucket, "random.mp4", media(t, "a.mp4", true))
		require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, "random.mp4"))
		require.Contains(t, b.recordingByObject(t, wherebyBucket, "random.mp4").OrphanReason, "no start time")
	})

	t.Run("NoAudioFailsPermanently", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		b.meeting(t, meetingOpts{platform: "whereby", roomName: "/silent"})
		key := "silent-2026-03-02T09:30:00Z.mp4"
		b.put(t, wherebyBucket, key, media(t, "v.mp4", false))
		err := b.svc.ProcessS3Object(b.ctx, wherebyBucket, key)
		require.ErrorIs(t, err, recording.ErrPermanent)
		require.ErrorIs(t, err, recording.ErrNoAudio)
		rec := b.recordingByObject(t, wherebyBucket, key)
		require.Equal(t, recording.StatusFailed, rec.Status)
		require.True(t, strings.Contains(rec.LastError, "no audio stream"), rec.LastError)
		require.NotNil(t, rec.FailedAt)
		// A redelivery does not retry forever.
		require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key))
	})
}
