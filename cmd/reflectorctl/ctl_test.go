package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/objstore/objstoretest"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/transcribe"
	"github.com/monadical/reflector-go/pkg/transcribe/emulator"
)

const wherebyBucket = "whereby-rec"

type testBundle struct {
	ctx       context.Context
	db        *sqlx.DB
	c         *ctl
	svc       *recording.Service
	s3        *objstoretest.Fake
	redis     asynq.RedisClientOpt
	out, errw *bytes.Buffer
	now       time.Time
}

func newBundle(t *testing.T) *testBundle {
	t.Helper()
	db := storetest.NewDB(t)
	opt := apptest.RedisDB(t)
	client, inspector := asynq.NewClient(opt), asynq.NewInspector(opt)
	t.Cleanup(func() { _ = client.Close(); _ = inspector.Close() })
	s3 := objstoretest.New(t, objstoretest.Options{Buckets: []string{"reflector", wherebyBucket}})
	stt := httptest.NewServer(emulator.New(emulator.Options{}))
	t.Cleanup(stt.Close)
	now := time.Now().UTC().Truncate(time.Second)
	jobs := tasks.RecordingJobs{Q: client, Inspector: inspector}
	svc, err := recording.NewService(recording.Config{
		Store: store.NewRecordingStore(db), Objects: s3.Store, Prober: recording.FFprobe{},
		Transcriber: transcribe.New(transcribe.Config{BaseURL: stt.URL + "/v1", Model: "whisper-1"}),
		S3Jobs:      jobs, Downloads: jobs, Transcripts: jobs, Logger: zaptest.NewLogger(t),
		Now: func() time.Time { return now }, Platforms: []string{"whereby"}, Bucket: "reflector",
		WherebyBucket: wherebyBucket,
	})
	require.NoError(t, err)
	b := &testBundle{ctx: context.Background(), db: db, svc: svc, s3: s3, redis: opt,
		out: &bytes.Buffer{}, errw: &bytes.Buffer{}, now: now}
	b.c = &ctl{store: store.NewRecordingStore(db), recs: svc, inspector: inspector, queue: client,
		table: tasks.Schedule(tasks.Intervals{ProcessMeetings: 15 * time.Second, Recordings: true}),
		out:   b.out, errw: b.errw, now: time.Now, poll: 20 * time.Millisecond}
	return b
}

// runCLI runs a command line through the command tree on c, with no environment.
func runCLI(ctx context.Context, c *ctl, args ...string) error {
	a := &app{getenv: func(string) string { return "" }, out: c.out, errw: c.errw,
		open: func(context.Context, uses) (*ctl, func(), error) { return c, func() {}, nil }}
	root := a.root()
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

// run runs a command and returns its standard output, resetting both buffers.
func (b *testBundle) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	b.out.Reset()
	b.errw.Reset()
	err := runCLI(b.ctx, b.c, args...)
	return b.out.String(), err
}

// meeting inserts a room and an ended Whereby meeting with n participant sessions.
func (b *testBundle) meeting(t *testing.T, roomName string, sessions int) uuid.UUID {
	t.Helper()
	roomID, id := uuid.New(), uuid.New()
	_, err := b.db.ExecContext(b.ctx, `INSERT INTO room (id, name, user_id, platform) VALUES ($1, $2, 'owner', 'whereby')`,
		roomID, "room-"+roomID.String()[:8])
	require.NoError(t, err)
	_, err = b.db.ExecContext(b.ctx, `INSERT INTO meeting (id, room_id, platform, room_name, start_date, end_date,
		is_locked, room_mode, recording_type, recording_trigger, is_active)
		VALUES ($1, $2, 'whereby', $3, $4, $5, false, 'normal', 'cloud', 'automatic', false)`,
		id, roomID, roomName, b.now.Add(-3*time.Hour), b.now.Add(-2*time.Hour))
	require.NoError(t, err)
	for i := range sessions {
		_, err = b.db.ExecContext(b.ctx, `INSERT INTO participant_session (id, meeting_id, room_id, session_id, user_name, joined_at)
			VALUES ($1, $2, $3, $4, 'P', $5)`, uuid.NewString(), id, roomID, "s"+string(rune('a'+i)), b.now.Add(-3*time.Hour))
		require.NoError(t, err)
	}
	return id
}

// stored lands a Whereby recording with audio for the meeting and returns it and its
// transcript (handed off: a transcript task is queued).
func (b *testBundle) stored(t *testing.T, roomName string) (recording.Recording, recording.Transcript) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "a.mp4")
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
		"sine=frequency=440:duration=1", file).CombinedOutput()
	require.NoError(t, err, "ffmpeg: %s", out)
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	key := strings.TrimPrefix(roomName, "/") + "-" + b.now.Add(-150*time.Minute).Format("2006-01-02T15:04:05Z") + ".mp4"
	_, err = b.s3.Store.Upload(b.ctx, wherebyBucket, key, f, "")
	require.NoError(t, err)
	require.NoError(t, b.svc.ProcessS3Object(b.ctx, wherebyBucket, key))
	st := store.NewRecordingStore(b.db)
	rec, err := st.RecordingByObject(b.ctx, wherebyBucket, key)
	require.NoError(t, err)
	tr, err := st.TranscriptForRecording(b.ctx, rec.ID)
	require.NoError(t, err)
	return rec, tr
}

func TestRecordingCommands(t *testing.T) {
	t.Parallel()
	b := newBundle(t)
	b.meeting(t, "/with-rec", 2)
	missing := b.meeting(t, "/lost", 2)
	rec, tr := b.stored(t, "/with-rec")

	out, err := b.run(t, "recordings", "list")
	require.NoError(t, err)
	require.Contains(t, out, rec.ID.String())
	require.Contains(t, out, "stored")

	out, err = b.run(t, "recordings", "list", "--status", "failed", "--limit", "5")
	require.NoError(t, err)
	require.NotContains(t, out, rec.ID.String())
	_, err = b.run(t, "recordings", "list", "--status", "bogus")
	require.ErrorContains(t, err, "unknown status")

	out, err = b.run(t, "recordings", "show", rec.ID.String())
	require.NoError(t, err)
	require.Contains(t, out, tr.ID.String())
	require.Regexp(t, `transcript generation:\s+1`, out)
	_, err = b.run(t, "recordings", "show", uuid.NewString())
	require.ErrorIs(t, err, recording.ErrNotFound)

	out, err = b.run(t, "recordings", "missing")
	require.NoError(t, err)
	require.Contains(t, out, missing.String())
	require.Contains(t, out, "/lost")
	require.NotContains(t, out, "/with-rec")
	require.Contains(t, b.errw.String(), "1 meeting(s) missing")
}

func TestReprocessAndTaskCommands(t *testing.T) {
	t.Parallel()
	b := newBundle(t)
	b.meeting(t, "/r", 2)
	_, tr := b.stored(t, "/r")
	first := tasks.TranscriptTaskID(tr.ID, 1)

	out, err := b.run(t, "tasks", "list", "default")
	require.NoError(t, err)
	require.Contains(t, out, first)

	out, err = b.run(t, "reprocess", tr.ID.String(), "--force")
	require.NoError(t, err)
	require.Contains(t, out, "generation 2 queued")
	require.Contains(t, b.errw.String(), "reprocessed 1/1")
	_, err = b.run(t, "reprocess", "not-a-uuid")
	require.Error(t, err)

	out, err = b.run(t, "tasks", "list", "default", "pending", "--limit", "10")
	require.NoError(t, err)
	require.Contains(t, out, tasks.TranscriptTaskID(tr.ID, 2))
	require.Contains(t, b.errw.String(), "2 task(s)")

	_, err = b.run(t, "tasks", "archive", "default", first)
	require.NoError(t, err)
	out, err = b.run(t, "tasks", "list", "default", "archived")
	require.NoError(t, err)
	require.Contains(t, out, first)
	_, err = b.run(t, "tasks", "retry", "default", first)
	require.NoError(t, err)
	_, err = b.run(t, "tasks", "delete", "default", first)
	require.NoError(t, err)
	out, err = b.run(t, "tasks", "list", "default")
	require.NoError(t, err)
	require.NotContains(t, out, first)
	_, err = b.run(t, "tasks", "list", "default", "sideways")
	require.ErrorContains(t, err, "unknown state")
	_, err = b.run(t, "tasks", "delete", "default", "no-such-task")
	require.Error(t, err)
}

func TestTasksListPages(t *testing.T) {
	t.Parallel()
	b := newBundle(t)
	for range 2*taskPage + 5 {
		require.NoError(t, tasks.RecordingJobs{Q: b.c.queue}.EnqueueDownload(b.ctx, uuid.New()))
	}
	out, err := b.run(t, "tasks", "list", "default", "--limit", "1000")
	require.NoError(t, err)
	require.Equal(t, 2*taskPage+5+1, strings.Count(out, "\n"), "a header and every task")
	require.Contains(t, b.errw.String(), "listed 200")
}

func TestRunCommand(t *testing.T) {
	t.Parallel()
	b := newBundle(t)
	srv := asynq.NewServer(b.redis, asynq.Config{Concurrency: 1, Queues: tasks.Queues(),
		LogLevel: asynq.FatalLevel})
	require.NoError(t, srv.Start(tasks.NewMux(tasks.Deps{Recordings: b.svc, Log: zaptest.NewLogger(t)})))
	t.Cleanup(srv.Shutdown)

	out, err := b.run(t, "run", tasks.TypeRecordingLedger, "--wait")
	require.NoError(t, err)
	require.Contains(t, out, "queued recording:ledger on low")
	require.Contains(t, b.errw.String(), "completed")

	_, err = b.run(t, "run", "recording:poll_sqs")
	require.ErrorContains(t, err, "not a scheduled job in this configuration")
	_, err = b.run(t, "run")
	require.ErrorContains(t, err, "meeting:process")
}
