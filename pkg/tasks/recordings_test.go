package tasks_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/sqsfake"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// fakeRecordings stands in for the recording service in handler tests: each method returns
// what its field says and counts its calls.
type fakeRecordings struct {
	mu         sync.Mutex
	processErr error // ProcessTranscript, ProcessS3Object, DownloadRecording
	calls      map[string]int
	retries    []int // asynq retry count seen by each ProcessTranscript
	failed     []error
}

func newFake() *fakeRecordings { return &fakeRecordings{calls: map[string]int{}} }

func (f *fakeRecordings) call(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[name]++
	return f.processErr
}

func (f *fakeRecordings) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

func (f *fakeRecordings) ProcessS3Object(context.Context, string, string) error {
	return f.call("s3")
}

func (f *fakeRecordings) DownloadRecording(context.Context, uuid.UUID) error {
	return f.call("download")
}

func (f *fakeRecordings) ProcessTranscript(ctx context.Context, _ uuid.UUID, _ int) error {
	n, _ := asynq.GetRetryCount(ctx)
	f.mu.Lock()
	f.retries = append(f.retries, n)
	f.mu.Unlock()
	return f.call("transcript")
}

func (f *fakeRecordings) FailTranscript(_ context.Context, _ uuid.UUID, _ int, cause error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = append(f.failed, cause)
	return recording.Permanent(cause)
}

func (f *fakeRecordings) failures() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.failed)
}

func (f *fakeRecordings) PollDaily(context.Context) (int, error) { return 0, f.call("daily") }

func (f *fakeRecordings) RequeueStalled(context.Context, time.Duration) (int, error) {
	return 0, f.call("stalled")
}

func (f *fakeRecordings) MissingRecordings(context.Context, time.Time) ([]recording.MissingRecording, error) {
	return nil, f.call("ledger")
}

func (f *fakeRecordings) ReprocessFailed(context.Context) (recording.NightlyReport, error) {
	return recording.NightlyReport{}, f.call("nightly")
}

type testBundle struct {
	ctx       context.Context
	redis     asynq.RedisClientOpt
	client    *asynq.Client
	inspector *asynq.Inspector
	jobs      tasks.RecordingJobs
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	opt := apptest.RedisDB(t)
	client, inspector := asynq.NewClient(opt), asynq.NewInspector(opt)
	t.Cleanup(func() { _ = client.Close(); _ = inspector.Close() })
	return &testBundle{ctx: context.Background(), redis: opt, client: client, inspector: inspector,
		jobs: tasks.RecordingJobs{Q: client, Inspector: inspector}}
}

// serve runs a worker on the bundle's Redis with the recording handlers of svc.
func (b *testBundle) serve(t *testing.T, svc tasks.Recordings) {
	t.Helper()
	srv := asynq.NewServer(b.redis, asynq.Config{
		Concurrency: 2, Queues: tasks.Queues(), DelayedTaskCheckInterval: 50 * time.Millisecond,
		RetryDelayFunc: func(int, error, *asynq.Task) time.Duration { return 0 },
		Logger:         quietLogger{}, LogLevel: asynq.FatalLevel,
	})
	require.NoError(t, srv.Start(tasks.NewMux(tasks.Deps{Recordings: svc, Log: zaptest.NewLogger(t)})))
	t.Cleanup(srv.Shutdown)
}

func (b *testBundle) pending(t *testing.T) []*asynq.TaskInfo {
	t.Helper()
	infos, err := b.inspector.ListPendingTasks(tasks.QueueDefault)
	require.NoError(t, err)
	return infos
}

// waitState waits until the task reaches state.
func (b *testBundle) waitState(t *testing.T, id string, state asynq.TaskState) *asynq.TaskInfo {
	t.Helper()
	var info *asynq.TaskInfo
	require.Eventually(t, func() bool {
		var err error
		info, err = b.inspector.GetTaskInfo(tasks.QueueDefault, id)
		return err == nil && info.State == state
	}, 10*time.Second, 20*time.Millisecond, "task %s never reached %s", id, state)
	return info
}

type quietLogger struct{}

func (quietLogger) Debug(...any) {}
func (quietLogger) Info(...any)  {}
func (quietLogger) Warn(...any)  {}
func (quietLogger) Error(...any) {}
func (quietLogger) Fatal(...any) {}

func s3Event(bucket, key string) string {
	return fmt.Sprintf(`{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":%q},"object":{"key":%q}}}]}`,
		bucket, url.QueryEscape(key))
}

// sqsPoller starts an SQS fake with a "recordings" queue and a poller enqueueing into b.
func sqsPoller(t *testing.T, b *testBundle) (*sqsfake.Server, string, *recording.Poller) {
	t.Helper()
	fake, ts := sqsfake.NewServer()
	t.Cleanup(ts.Close)
	queueURL := fake.CreateQueue("recordings")
	client := sqs.New(sqs.Options{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL),
		Credentials: aws.AnonymousCredentials{}})
	poller, err := recording.NewPoller(recording.PollerConfig{SQS: client, QueueURL: queueURL, Enqueuer: b.jobs,
		Logger: zaptest.NewLogger(t), WaitSeconds: 1})
	require.NoError(t, err)
	return fake, queueURL, poller
}

func TestRecordingEnqueueIDs(t *testing.T) {
	t.Parallel()

	t.Run("RedeliveredSQSMessageQueuesNoSecondTask", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		fake, queueURL, poller := sqsPoller(t, b)
		key := "room-2026-03-02T10:00:00Z.mp4"
		// The same notification twice (S3 delivers at least once), and a redelivery of one.
		_, err := fake.Send(queueURL, s3Event("wb", key))
		require.NoError(t, err)
		_, err = fake.Send(queueURL, s3Event("wb", key))
		require.NoError(t, err)
		res, err := poller.PollOnce(b.ctx)
		require.NoError(t, err)
		require.Equal(t, 2, res.Deleted)
		_, err = fake.Send(queueURL, s3Event("wb", key))
		require.NoError(t, err)
		_, err = poller.PollOnce(b.ctx)
		require.NoError(t, err)

		infos := b.pending(t)
		require.Len(t, infos, 1)
		require.Equal(t, tasks.TypeRecordingProcessS3, infos[0].Type)
		require.Equal(t, tasks.ProcessS3TaskID("wb", key), infos[0].ID)
		require.JSONEq(t, `{"bucket":"wb","key":"`+key+`"}`, string(infos[0].Payload))
		require.Zero(t, fake.Len(queueURL), "messages are deleted once their tasks are queued")
	})

	t.Run("TranscriptIDConflictRunsOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		svc := newFake()
		b.serve(t, svc)
		id := uuid.New()
		require.NoError(t, b.jobs.EnqueueTranscript(b.ctx, id, 1))
		require.NoError(t, b.jobs.EnqueueTranscript(b.ctx, id, 1), "a conflict is success")
		b.waitState(t, tasks.TranscriptTaskID(id, 1), asynq.TaskStateCompleted)
		// The webhook and the poll crossing after the run: refused while the task is retained.
		require.NoError(t, b.jobs.EnqueueTranscript(b.ctx, id, 1))
		require.Empty(t, b.pending(t))
		require.Equal(t, 1, svc.count("transcript"))
		// A new generation (reprocess) is a new task.
		require.NoError(t, b.jobs.EnqueueTranscript(b.ctx, id, 2))
		b.waitState(t, tasks.TranscriptTaskID(id, 2), asynq.TaskStateCompleted)
		require.Equal(t, 2, svc.count("transcript"))
	})

	t.Run("ArchivedTaskIsQueuedAgainOnPurpose", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := uuid.New()
		taskID := tasks.TypeRecordingDownload + ":" + id.String()
		require.NoError(t, b.jobs.EnqueueDownload(b.ctx, id))
		require.NoError(t, b.inspector.ArchiveTask(tasks.QueueDefault, taskID))
		require.NoError(t, b.jobs.EnqueueDownload(b.ctx, id), "the nightly retry queues it again")
		infos := b.pending(t)
		require.Len(t, infos, 1)
		require.Equal(t, taskID, infos[0].ID)
		require.NoError(t, b.jobs.EnqueueDownload(b.ctx, id), "a pending task is left alone")
		require.Len(t, b.pending(t), 1)
	})

	t.Run("WithoutInspectorConflictIsSuccess", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		jobs := tasks.RecordingJobs{Q: b.client}
		require.NoError(t, jobs.EnqueueProcessS3(b.ctx, "b", "k"))
		require.NoError(t, jobs.EnqueueProcessS3(b.ctx, "b", "k"))
		require.Len(t, b.pending(t), 1)
	})

	t.Run("EnqueueFailureIsReported", func(t *testing.T) {
		t.Parallel()
		down := asynq.NewClient(asynq.RedisClientOpt{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond})
		t.Cleanup(func() { _ = down.Close() })
		err := tasks.RecordingJobs{Q: down}.EnqueueTranscript(context.Background(), uuid.New(), 1)
		require.ErrorContains(t, err, "enqueue transcript:process")
	})
}

func TestRecordingHandlers(t *testing.T) {
	t.Parallel()

	t.Run("PermanentErrorSkipsRetry", func(t *testing.T) {
		t.Parallel()
		svc := newFake()
		svc.processErr = recording.Permanent(errors.New("no audio stream"))
		for _, h := range []asynq.Handler{tasks.RecordingProcessS3Handler{Service: svc},
			tasks.RecordingDownloadHandler{Service: svc}, tasks.TranscriptProcessHandler{Service: svc}} {
			err := h.ProcessTask(context.Background(), asynq.NewTask("x", []byte(`{}`)))
			require.ErrorIs(t, err, asynq.SkipRetry)
			require.ErrorIs(t, err, recording.ErrPermanent)
			require.ErrorContains(t, err, "no audio stream")
		}
		require.Zero(t, svc.failures(), "a permanent failure is already recorded by the service")
	})

	t.Run("TransientErrorIsRetried", func(t *testing.T) {
		t.Parallel()
		svc := newFake()
		svc.processErr = errors.New("connection reset")
		err := tasks.RecordingDownloadHandler{Service: svc}.ProcessTask(context.Background(), asynq.NewTask("x", []byte(`{}`)))
		require.Error(t, err)
		require.NotErrorIs(t, err, asynq.SkipRetry)
	})

	t.Run("BadPayloadSkipsRetry", func(t *testing.T) {
		t.Parallel()
		err := tasks.TranscriptProcessHandler{Service: newFake()}.ProcessTask(context.Background(),
			asynq.NewTask(tasks.TypeTranscriptProcess, []byte(`{`)))
		require.ErrorIs(t, err, asynq.SkipRetry)
	})

	t.Run("PermanentFailureIsArchivedAfterOneRun", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		svc := newFake()
		svc.processErr = recording.Permanent(errors.New("404 from provider"))
		b.serve(t, svc)
		id := uuid.New()
		require.NoError(t, b.jobs.EnqueueDownload(b.ctx, id))
		info := b.waitState(t, tasks.TypeRecordingDownload+":"+id.String(), asynq.TaskStateArchived)
		require.Zero(t, info.Retried)
		require.Equal(t, 1, svc.count("download"))
	})

	t.Run("FinalRetryFailsTheTranscript", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		svc := newFake()
		svc.processErr = errors.New("stt endpoint 503")
		b.serve(t, svc)
		id := uuid.New()
		task, err := tasks.NewTranscriptProcessTask(tasks.TranscriptProcessPayload{TranscriptID: id, Generation: 1})
		require.NoError(t, err)
		_, err = b.client.EnqueueContext(b.ctx, task, asynq.MaxRetry(2))
		require.NoError(t, err)
		info := b.waitState(t, tasks.TranscriptTaskID(id, 1), asynq.TaskStateArchived)
		svc.mu.Lock()
		defer svc.mu.Unlock()
		require.Equal(t, []int{0, 1, 2}, svc.retries)
		require.Len(t, svc.failed, 1, "FailTranscript only on the last try")
		require.ErrorContains(t, svc.failed[0], "stt endpoint 503")
		require.Contains(t, info.LastErr, "stt endpoint 503")
	})

	t.Run("SQSPollDrainsTheQueue", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		fake, queueURL, poller := sqsPoller(t, b)
		for i := range 25 {
			_, err := fake.Send(queueURL, s3Event("wb", fmt.Sprintf("r%02d-2026-03-02T10:00:00Z.mp4", i)))
			require.NoError(t, err)
		}
		h := tasks.RecordingPollSQSHandler{Poller: poller, Log: zaptest.NewLogger(t), Now: time.Now}
		require.NoError(t, h.ProcessTask(b.ctx, asynq.NewTask(tasks.TypeRecordingPollSQS, []byte(`{"tick":1}`))))
		require.Len(t, b.pending(t), 25, "more than one batch per tick")
		require.Zero(t, fake.Len(queueURL))
	})

	t.Run("PeriodicHandlersCallTheService", func(t *testing.T) {
		t.Parallel()
		svc := newFake()
		log := zaptest.NewLogger(t)
		tick := asynq.NewTask("x", []byte(`{"tick":1}`))
		for name, h := range map[string]asynq.Handler{
			"daily":   tasks.RecordingPollDailyHandler{Service: svc, Log: log},
			"stalled": tasks.RecordingRequeueStalledHandler{Service: svc, Log: log},
			"ledger":  tasks.RecordingLedgerHandler{Service: svc, Now: time.Now},
			"nightly": tasks.RecordingReprocessFailedHandler{Service: svc},
		} {
			require.NoError(t, h.ProcessTask(context.Background(), tick), name)
			require.Equal(t, 1, svc.count(name), name)
		}
	})
}
