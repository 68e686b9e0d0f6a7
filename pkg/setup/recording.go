package setup

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/objstore"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/transcribe"
)

// RecordingDeps are what NewRecording needs besides the configuration.
type RecordingDeps struct {
	DB        *sqlx.DB
	Platforms *platform.Registry
	Queue     tasks.Enqueuer
	Inspector tasks.TaskInspector // optional: lets deliberate retries replace archived tasks
	Log       *zap.Logger
	Now       func() time.Time
}

// Recording is the recording pipeline built from the configuration.
type Recording struct {
	Service *recording.Service
	Poller  *recording.Poller // nil without AWS_PROCESS_RECORDING_QUEUE_URL
	Jobs    tasks.RecordingJobs
}

// NewRecording builds the recording service (S3 store, ffprobe, transcription client, task
// enqueuers, Daily lister) and the SQS poller. It returns nil, nil when recordings are not
// configured (no TRANSCRIPTION_URL). The api can build the same service for the webhook
// inbox: it is safe to share, and every method is idempotent.
func NewRecording(ctx context.Context, cfg *config.Config, d RecordingDeps) (*Recording, error) {
	rc := cfg.Recording
	if !rc.Enabled() {
		return nil, nil
	}
	s3, err := objstore.NewS3Client(ctx, awsConfig(rc, rc.S3EndpointURL))
	if err != nil {
		return nil, fmt.Errorf("setup.NewRecording: %w", err)
	}
	jobs := tasks.RecordingJobs{Q: d.Queue, Inspector: d.Inspector}
	svcCfg := recording.Config{
		Store: store.NewRecordingStore(d.DB), Objects: objstore.New(s3, objstore.Options{Logger: d.Log}),
		Prober: recording.FFprobe{},
		Transcriber: transcribe.New(transcribe.Config{BaseURL: rc.TranscriptionURL, APIKey: rc.TranscriptionKey,
			Model: rc.TranscriptionModel}),
		S3Jobs: jobs, Downloads: jobs, Transcripts: jobs, Daily: dailyLister(d.Platforms),
		DailyLinks: dailyLinks(d.Platforms),
		Completed:  tasks.Jobs{Q: d.Queue},
		Logger:     d.Log, Now: d.Now, Platforms: cfg.Configured(),
		Bucket: rc.StorageBucket, DailyBucket: cfg.Daily.BucketName, WherebyBucket: cfg.Whereby.BucketName,
		Lease: rc.Lease, MaxRequeues: cfg.DeadLetter.MaxRequeues,
	}
	svc, err := recording.NewService(svcCfg)
	if err != nil {
		return nil, fmt.Errorf("setup.NewRecording: %w", err)
	}
	out := &Recording{Service: svc, Jobs: jobs}
	if rc.SQSQueueURL != "" {
		if out.Poller, err = newPoller(ctx, rc, jobs, d.Log); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func newPoller(ctx context.Context, rc config.RecordingConfig, jobs tasks.RecordingJobs, log *zap.Logger) (*recording.Poller, error) {
	client, err := objstore.NewSQSClient(ctx, awsConfig(rc, rc.SQSEndpointURL))
	if err != nil {
		return nil, fmt.Errorf("setup.NewRecording: %w", err)
	}
	p, err := recording.NewPoller(recording.PollerConfig{SQS: client, QueueURL: rc.SQSQueueURL, Enqueuer: jobs, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("setup.NewRecording: %w", err)
	}
	return p, nil
}

// awsConfig is the SDK configuration of one AWS service. One set of credentials
// (TRANSCRIPT_STORAGE_AWS_*) reads and writes every bucket and the queue.
func awsConfig(rc config.RecordingConfig, endpoint string) objstore.Config {
	return objstore.Config{Region: rc.AWSRegion, Endpoint: endpoint, AccessKeyID: rc.AWSAccessKeyID,
		SecretAccessKey: rc.AWSSecretAccessKey, UsePathStyle: rc.S3PathStyle()}
}

// RecordingIntervals sets the recording entries of the scheduler's table from cfg: the SQS
// poll when a queue is configured, the Daily poll when Daily is (cloud recordings need no
// bucket of ours), and the sweeps whenever recordings are enabled. The worker registers the
// same handlers.
func RecordingIntervals(cfg *config.Config, iv *tasks.Intervals) {
	rc := cfg.Recording
	if !rc.Enabled() {
		return
	}
	iv.Recordings = true
	if rc.SQSQueueURL != "" {
		iv.RecordingSQSPoll = rc.SQSPollInterval
	}
	iv.RecordingDailyPoll = cfg.Daily.APIKey != ""
}

// DailyRecordingsAPI is the Daily client's capability DailyLister adapts (*daily.Client).
type DailyRecordingsAPI interface {
	ListRecordings(ctx context.Context, p daily.ListRecordingsParams) (daily.RecordingList, error)
}

// dailyLister adapts the registered Daily client to recording.DailyLister, or returns nil
// (the polling fallback off) when Daily is not configured.
func dailyLister(reg *platform.Registry) recording.DailyLister {
	if l, ok := dailyClient[DailyRecordingsAPI](reg); ok {
		return DailyLister{Client: l}
	}
	return nil
}

// dailyLinks is the registered Daily client's access links (*daily.Client), or nil.
func dailyLinks(reg *platform.Registry) recording.DailyLinks {
	if l, ok := dailyClient[recording.DailyLinks](reg); ok {
		return l
	}
	return nil
}

// dailyClient returns the registered Daily client as the capability T.
func dailyClient[T any](reg *platform.Registry) (T, bool) {
	var zero T
	if reg == nil {
		return zero, false
	}
	c, err := reg.Get(platform.Daily)
	if err != nil {
		return zero, false
	}
	t, ok := c.(T)
	return t, ok
}

// DailyLister adapts daily.Client.ListRecordings to recording.DailyLister.
type DailyLister struct{ Client DailyRecordingsAPI }

// ListRecordings implements recording.DailyLister.
func (l DailyLister) ListRecordings(ctx context.Context, roomName, startingAfter string, limit int) ([]recording.DailyRecording, error) {
	page, err := l.Client.ListRecordings(ctx, daily.ListRecordingsParams{RoomName: roomName, StartingAfter: startingAfter, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("daily recordings: %w", err)
	}
	out := make([]recording.DailyRecording, 0, len(page.Data))
	for _, r := range page.Data {
		out = append(out, fromDaily(r))
	}
	return out, nil
}

func fromDaily(r daily.Recording) recording.DailyRecording {
	key := r.S3Key
	if key == "" && r.S3 != nil {
		key = r.S3.Key
	}
	tracks := make([]recording.DailyTrack, 0, len(r.Tracks))
	for _, t := range r.Tracks {
		tracks = append(tracks, recording.DailyTrack{Type: t.Type, S3Key: t.S3Key, Size: t.Size})
	}
	return recording.DailyRecording{
		ID: r.ID, RoomName: r.RoomName, StartTS: int64(r.StartTS), Status: r.Status, Duration: r.Duration,
		S3Key: key, Type: r.Type, MtgSessionID: r.MtgSessionID, Tracks: tracks,
	}
}
