package recording_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/objstore/objstoretest"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
	"github.com/monadical/reflector-go/pkg/transcribe"
	"github.com/monadical/reflector-go/pkg/transcribe/emulator"
)

const (
	ourBucket     = "reflector"
	dailyBucket   = "daily-tracks"
	wherebyBucket = "whereby-rec"
)

// jobs stands in for the task layer: task ids dedupe like asynq's TaskID, and Down makes
// every enqueue fail.
type jobs struct {
	mu          sync.Mutex
	down        bool
	seen        map[string]bool
	s3          []recording.S3Object
	downloads   []uuid.UUID
	transcripts []taskRef
	dups        int
}

type taskRef struct {
	ID  uuid.UUID
	Gen int
}

func (j *jobs) add(id string, fn func()) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.down {
		return fmt.Errorf("redis down")
	}
	if j.seen[id] {
		j.dups++
		return nil
	}
	j.seen[id] = true
	fn()
	return nil
}

func (j *jobs) EnqueueProcessS3(_ context.Context, bucket, key string) error {
	return j.add("recording:s3:"+bucket+"/"+key, func() { j.s3 = append(j.s3, recording.S3Object{Bucket: bucket, Key: key}) })
}

func (j *jobs) EnqueueDownload(_ context.Context, id uuid.UUID) error {
	return j.add("recording:download:"+id.String(), func() { j.downloads = append(j.downloads, id) })
}

func (j *jobs) EnqueueTranscript(_ context.Context, id uuid.UUID, gen int) error {
	return j.add(fmt.Sprintf("transcript:process:%s:%d", id, gen), func() { j.transcripts = append(j.transcripts, taskRef{id, gen}) })
}

func (j *jobs) setDown(down bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.down = down
}

func (j *jobs) queuedTranscripts() []taskRef {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]taskRef(nil), j.transcripts...)
}

type testBundle struct {
	ctx   context.Context
	db    *sqlx.DB
	st    store.RecordingStore
	s3    *objstoretest.Fake
	stt   *emulator.Emulator
	jobs  *jobs
	clock *testkit.Clock
	svc   *recording.Service
	cfg   recording.Config
}

type setupOpts struct {
	daily recording.DailyLister
	tweak func(*recording.Config)
}

func setup(t *testing.T, o setupOpts) *testBundle {
	t.Helper()
	db := storetest.NewDB(t)
	s3 := objstoretest.New(t, objstoretest.Options{Buckets: []string{ourBucket, dailyBucket, wherebyBucket}})
	stt := emulator.New(emulator.Options{APIKey: "k"})
	sttSrv := httptest.NewServer(stt)
	t.Cleanup(sttSrv.Close)
	b := &testBundle{
		ctx: context.Background(), db: db, st: store.NewRecordingStore(db), s3: s3, stt: stt,
		jobs: &jobs{seen: map[string]bool{}}, clock: testkit.NewClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)),
	}
	b.cfg = recording.Config{
		Store: b.st, Objects: s3.Store, Prober: recording.FFprobe{},
		Transcriber: transcribe.New(transcribe.Config{BaseURL: sttSrv.URL + "/v1", APIKey: "k", Model: "whisper-1"}),
		S3Jobs:      b.jobs, Downloads: b.jobs, Transcripts: b.jobs, Daily: o.daily,
		Logger: zaptest.NewLogger(t), Now: b.clock.Now,
		Platforms: []string{recording.PlatformDaily, recording.PlatformWhereby},
		Bucket:    ourBucket, DailyBucket: dailyBucket, WherebyBucket: wherebyBucket,
		DownloadAttempts: 3, RetryBackoff: time.Millisecond,
	}
	if o.tweak != nil {
		o.tweak(&b.cfg)
	}
	svc, err := recording.NewService(b.cfg)
	require.NoError(t, err)
	b.svc = svc
	return b
}

// fixture rows ---------------------------------------------------------------------------

type meetingOpts struct {
	platform, roomName, recordingType string
	start, end                        time.Time
	active                            bool
}

// meeting inserts a room and one meeting; it returns the meeting id.
func (b *testBundle) meeting(t *testing.T, o meetingOpts) uuid.UUID {
	t.Helper()
	if o.recordingType == "" {
		o.recordingType = "cloud"
	}
	if o.start.IsZero() {
		o.start = b.clock.Now().Add(-time.Hour)
		o.end = b.clock.Now().Add(time.Hour)
	}
	roomID, meetingID := uuid.New(), uuid.New()
	_, err := b.db.ExecContext(b.ctx, `INSERT INTO room (id, name, user_id, platform) VALUES ($1, $2, 'owner-1', $3)`,
		roomID, "room-"+roomID.String()[:8], o.platform)
	require.NoError(t, err)
	_, err = b.db.ExecContext(b.ctx, `INSERT INTO meeting (id, room_id, platform, room_name, start_date, end_date,
		is_locked, room_mode, recording_type, recording_trigger, is_active)
		VALUES ($1, $2, $3, $4, $5, $6, false, 'normal', $7, 'automatic', $8)`,
		meetingID, roomID, o.platform, o.roomName, o.start, o.end, o.recordingType, o.active)
	require.NoError(t, err)
	return meetingID
}

func (b *testBundle) session(t *testing.T, meetingID uuid.UUID, sessionID, userName string) {
	t.Helper()
	_, err := b.db.ExecContext(b.ctx, `INSERT INTO participant_session (id, meeting_id, room_id, session_id, user_id, user_name, joined_at)
		SELECT $1::text || ':' || $2, id, room_id, $2, 'user-' || $3, $3, $4 FROM meeting WHERE id = $1::uuid`,
		meetingID.String(), sessionID, userName, b.clock.Now().Add(-time.Hour))
	require.NoError(t, err)
}

func (b *testBundle) consent(t *testing.T, meetingID uuid.UUID, user string, given bool) {
	t.Helper()
	_, err := b.db.ExecContext(b.ctx, `INSERT INTO meeting_consent (id, meeting_id, user_id, consent_given, consent_timestamp)
		VALUES ($1, $2, $3, $4, $5)`, uuid.New(), meetingID, user, given, b.clock.Now())
	require.NoError(t, err)
}

// media --------------------------------------------------------------------------------

// media makes a short file with ffmpeg: a sine tone (audio=true) or a test pattern only.
func media(t *testing.T, name string, audio bool) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	args := []string{"-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2"}
	if !audio {
		args = []string{"-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5:duration=1", "-pix_fmt", "yuv420p"}
	}
	cmd := exec.Command("ffmpeg", append(args, out)...)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "ffmpeg (apt-get install -y ffmpeg): %s", msg)
	return out
}

// put uploads a local file to the fake S3.
func (b *testBundle) put(t *testing.T, bucket, key, file string) {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	_, err = b.s3.Store.Upload(b.ctx, bucket, key, f, "")
	require.NoError(t, err)
}

// drain runs every queued transcript task once, like the worker would.
func (b *testBundle) drain(t *testing.T) {
	t.Helper()
	done := map[taskRef]bool{}
	for {
		progressed := false
		for _, tr := range b.jobs.queuedTranscripts() {
			if done[tr] {
				continue
			}
			done[tr] = true
			progressed = true
			require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, tr.Gen))
		}
		if !progressed {
			return
		}
	}
}

func (b *testBundle) recordingByObject(t *testing.T, bucket, key string) recording.Recording {
	t.Helper()
	r, err := b.st.RecordingByObject(b.ctx, bucket, key)
	require.NoError(t, err)
	return r
}

func (b *testBundle) transcriptFor(t *testing.T, recID uuid.UUID) recording.Transcript {
	t.Helper()
	tr, err := b.st.TranscriptForRecording(b.ctx, recID)
	require.NoError(t, err)
	return tr
}
