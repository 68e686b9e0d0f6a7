package recording_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestLeaseSweep: Redis restarts empty while a download is pending, a transcript is handed
// off and another one is being transcribed by a worker that died. Postgres still says what
// waits; once the leases end, the sweep queues each task again under its usual id, and a
// worker finishes all of it without asking for any track twice.
func TestLeaseSweep(t *testing.T) {
	t.Parallel()
	opt := apptest.RedisDB(t)
	client, insp := asynq.NewClient(opt), asynq.NewInspector(opt)
	t.Cleanup(func() { _ = client.Close(); _ = insp.Close() })
	jobs := tasks.RecordingJobs{Q: client, Inspector: insp}
	b := setup(t, setupOpts{tweak: func(c *recording.Config) {
		c.S3Jobs, c.Downloads, c.Transcripts, c.Lease = jobs, jobs, jobs, 2*time.Minute
	}})
	wav := media(t, "a.wav", true)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, wav) }))
	t.Cleanup(src.Close)

	b.meeting(t, meetingOpts{platform: "whereby", roomName: "/dl"})
	dl, err := b.svc.CreateFromURL(b.ctx, recording.URLRecording{Platform: "whereby", ProviderRecordingID: "dl-1",
		ProviderRoomName: "/dl", SourceURL: src.URL + "/dl.wav", RecordedAt: b.clock.Now()})
	require.NoError(t, err)
	mid := b.meeting(t, meetingOpts{platform: "daily", roomName: "lease-20260302"})
	b.session(t, mid, sessA, "Alice")
	ev := b.rawTracks(t, "lease-20260302", "rec-lease")
	require.NoError(t, b.svc.HandleDailyReady(b.ctx, ev))
	_, dying := b.handedOff(t, "dying")
	_, err = b.db.ExecContext(b.ctx, `UPDATE transcript SET status = 'processing' WHERE id = $1`, dying.ID)
	require.NoError(t, err)

	flush(t, opt)
	n, err := b.svc.RequeueStalled(b.ctx, 0)
	require.NoError(t, err)
	require.Zero(t, n, "nothing outlived its lease yet")

	b.clock.Advance(3 * time.Minute)
	n, err = b.svc.RequeueStalled(b.ctx, 0)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	n, err = b.svc.RequeueStalled(b.ctx, 0)
	require.NoError(t, err)
	require.Zero(t, n, "a second sweep (or a second scheduler) within the renewed lease restarts nothing")
	for _, id := range []string{tasks.TranscriptTaskID(dying.ID, dying.Generation),
		tasks.TypeRecordingDownload + ":" + dl.ID.String()} {
		require.True(t, taskKept(t, opt, id), "%s queued again under the same id", id)
	}
	require.Equal(t, 3, taskCount(t, opt))

	serveRecordings(t, opt, b.svc)
	require.Eventually(t, func() bool {
		return b.count(t, `SELECT count(*) FROM transcript WHERE status = 'ended'`) == 3
	}, time.Minute, 100*time.Millisecond)
	require.Equal(t, recording.StatusCompleted, b.recording(t, dl.ID).Status)
	require.Len(t, b.stt.Uploads(), 4, "one request per track: 1 download, 2 raw tracks, 1 file")
}

// TestLeaseSweepDeadLetters: a download whose task never runs and a transcription whose
// worker keeps dying are restarted MaxRequeues times, once per lease, then parked: failed /
// error with dead_at and a reason, and never restarted again. A reprocess brings the
// transcript back.
func TestLeaseSweepDeadLetters(t *testing.T) {
	t.Parallel()
	opt := apptest.RedisDB(t)
	client := asynq.NewClient(opt)
	t.Cleanup(func() { _ = client.Close() })
	jobs := tasks.RecordingJobs{Q: client}
	b := setup(t, setupOpts{tweak: func(c *recording.Config) {
		c.S3Jobs, c.Downloads, c.Transcripts, c.Lease, c.MaxRequeues = jobs, jobs, jobs, 2*time.Minute, 2
	}})
	b.meeting(t, meetingOpts{platform: "whereby", roomName: "/dead"})
	dl, err := b.svc.CreateFromURL(b.ctx, recording.URLRecording{Platform: "whereby", ProviderRecordingID: "dead-1",
		ProviderRoomName: "/dead", SourceURL: "http://127.0.0.1:1/never.wav", RecordedAt: b.clock.Now()})
	require.NoError(t, err)
	_, stuck := b.handedOff(t, "stuck")
	_, err = b.db.ExecContext(b.ctx, `UPDATE transcript SET status = 'processing' WHERE id = $1`, stuck.ID)
	require.NoError(t, err)

	for i, want := range []int{2, 2, 0, 0} { // two restarts each, then parked, then left alone
		b.clock.Advance(3 * time.Minute)
		flush(t, opt) // the restarted tasks are lost again
		n, err := b.svc.RequeueStalled(b.ctx, 0)
		require.NoError(t, err)
		require.Equal(t, want, n, "sweep %d", i+1)
	}
	rec := b.recording(t, dl.ID)
	require.Equal(t, recording.StatusFailed, rec.Status)
	require.Contains(t, rec.LastError, "dead-lettered")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM recording WHERE dead_at IS NOT NULL AND requeues = 2`))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM transcript WHERE status = 'error' AND dead_at IS NOT NULL
		AND error LIKE 'dead-lettered%'`))

	_, err = b.svc.Reprocess(b.ctx, stuck.ID, true)
	require.NoError(t, err)
	require.Equal(t, 0, b.count(t, `SELECT count(*) FROM transcript WHERE dead_at IS NOT NULL OR requeues > 0`),
		"a reprocess gives the transcript a fresh budget")
}

func flush(t *testing.T, opt asynq.RedisClientOpt) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: opt.Addr, DB: opt.DB})
	defer c.Close()
	require.NoError(t, c.FlushDB(t.Context()).Err())
}

// taskKept reports whether Redis holds the task with that id. (After a restart asynq's
// queue registry is empty until a new client enqueues, so the Inspector cannot list it.)
func taskKept(t *testing.T, opt asynq.RedisClientOpt, id string) bool {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: opt.Addr, DB: opt.DB})
	defer c.Close()
	n, err := c.Exists(t.Context(), "asynq:{"+tasks.QueueDefault+"}:t:"+id).Result()
	require.NoError(t, err)
	return n == 1
}

// taskCount counts the tasks Redis holds in the default queue.
func taskCount(t *testing.T, opt asynq.RedisClientOpt) int {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: opt.Addr, DB: opt.DB})
	defer c.Close()
	keys, err := c.Keys(t.Context(), "asynq:{"+tasks.QueueDefault+"}:t:*").Result()
	require.NoError(t, err)
	return len(keys)
}

func serveRecordings(t *testing.T, opt asynq.RedisClientOpt, svc *recording.Service) {
	t.Helper()
	srv := asynq.NewServer(opt, asynq.Config{Concurrency: 4, Queues: tasks.Queues(), LogLevel: asynq.FatalLevel})
	require.NoError(t, srv.Start(tasks.NewMux(tasks.Deps{Recordings: svc, Log: zaptest.NewLogger(t)})))
	t.Cleanup(srv.Shutdown)
}

func (b *testBundle) count(t *testing.T, q string) int {
	t.Helper()
	var n int
	require.NoError(t, b.db.GetContext(b.ctx, &n, q))
	return n
}

func (b *testBundle) recording(t *testing.T, id uuid.UUID) recording.Recording {
	t.Helper()
	r, err := b.st.RecordingByID(b.ctx, id)
	require.NoError(t, err)
	return r
}
