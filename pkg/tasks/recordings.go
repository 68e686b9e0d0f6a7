package tasks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
)

// Recording task types (pkg/recording does the work).
const (
	TypeRecordingProcessS3       = "recording:process_s3"
	TypeRecordingDownload        = "recording:download"
	TypeTranscriptProcess        = "transcript:process"
	TypeRecordingPollSQS         = "recording:poll_sqs"
	TypeRecordingPollDaily       = "recording:poll_daily"
	TypeRecordingRequeueStalled  = "recording:requeue_stalled"
	TypeRecordingLedger          = "recording:ledger"
	TypeRecordingReprocessFailed = "recording:reprocess_failed"
)

// recordingRetention keeps a finished recording task (and so its id) for a day: a
// redelivered notification, a webhook crossing the poll or a repeated hand-off within that
// window is refused by Redis instead of running twice. The services are idempotent beyond it.
const recordingRetention = 24 * time.Hour

// recordingQueue holds the on-demand recording tasks. Task ids are unique per queue, so
// every task of a type must go to the same queue.
const recordingQueue = QueueDefault

// RecordingProcessS3Payload names one created object of the Whereby bucket.
type RecordingProcessS3Payload struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"` // decoded (a "+" in the notification is a space here)
}

// NewRecordingProcessS3Task processes one uploaded object. The id is the object's address
// (bucket names cannot hold "/"), so a redelivered SQS message queues nothing new.
func NewRecordingProcessS3Task(p RecordingProcessS3Payload) (*asynq.Task, error) {
	return newTask(TypeRecordingProcessS3, p, asynq.TaskID(ProcessS3TaskID(p.Bucket, p.Key)),
		asynq.Retention(recordingRetention), asynq.MaxRetry(10), asynq.Timeout(15*time.Minute),
		asynq.Queue(recordingQueue))
}

// ProcessS3TaskID is the id of the task processing bucket/key.
func ProcessS3TaskID(bucket, key string) string {
	return TypeRecordingProcessS3 + ":" + bucket + "/" + key
}

// RecordingDownloadPayload names a pending recording to download from its provider link.
type RecordingDownloadPayload struct {
	RecordingID uuid.UUID `json:"recording_id"`
}

// NewRecordingDownloadTask downloads a recording into our bucket (one task per recording).
// The timeout leaves room for multi-gigabyte files.
func NewRecordingDownloadTask(p RecordingDownloadPayload) (*asynq.Task, error) {
	return newTask(TypeRecordingDownload, p, asynq.TaskID(TypeRecordingDownload+":"+p.RecordingID.String()),
		asynq.Retention(recordingRetention), asynq.MaxRetry(5), asynq.Timeout(2*time.Hour),
		asynq.Queue(recordingQueue))
}

// TranscriptProcessPayload names one generation of a transcript to transcribe.
type TranscriptProcessPayload struct {
	TranscriptID uuid.UUID `json:"transcript_id"`
	Generation   int       `json:"generation"`
}

// NewTranscriptProcessTask transcribes one generation of a transcript. The id
// transcript:process:<id>:<generation> makes the hand-off exactly once: a webhook and a poll
// crossing, a redelivery or a re-enqueue after a crash are refused while the task is retained;
// only a new generation (reflectorctl reprocess) starts another run.
func NewTranscriptProcessTask(p TranscriptProcessPayload) (*asynq.Task, error) {
	return newTask(TypeTranscriptProcess, p, asynq.TaskID(TranscriptTaskID(p.TranscriptID, p.Generation)),
		asynq.Retention(recordingRetention), asynq.MaxRetry(5), asynq.Timeout(2*time.Hour),
		asynq.Queue(recordingQueue))
}

// TranscriptTaskID is the id of the task transcribing one generation of a transcript.
func TranscriptTaskID(id uuid.UUID, generation int) string {
	return TypeTranscriptProcess + ":" + id.String() + ":" + strconv.Itoa(generation)
}

// TaskInspector is the part of asynq.Inspector RecordingJobs uses.
type TaskInspector interface {
	GetTaskInfo(queue, id string) (*asynq.TaskInfo, error)
	DeleteTask(queue, id string) error
}

// RecordingJobs queues recording work; it implements recording.Enqueuer, DownloadEnqueuer
// and TranscriptEnqueuer. A task id already taken counts as success. With Inspector set, an id
// held by an archived task (one that gave up) is freed and the task queued again: the
// nightly retry and the bucket sweep re-enqueue such work on purpose.
type RecordingJobs struct {
	Q         Enqueuer
	Inspector TaskInspector // optional
}

// EnqueueProcessS3 implements recording.Enqueuer.
func (j RecordingJobs) EnqueueProcessS3(ctx context.Context, bucket, key string) error {
	t, err := NewRecordingProcessS3Task(RecordingProcessS3Payload{Bucket: bucket, Key: key})
	return j.enqueue(ctx, t, ProcessS3TaskID(bucket, key), err)
}

// EnqueueDownload implements recording.DownloadEnqueuer.
func (j RecordingJobs) EnqueueDownload(ctx context.Context, recordingID uuid.UUID) error {
	t, err := NewRecordingDownloadTask(RecordingDownloadPayload{RecordingID: recordingID})
	return j.enqueue(ctx, t, TypeRecordingDownload+":"+recordingID.String(), err)
}

// EnqueueTranscript implements recording.TranscriptEnqueuer.
func (j RecordingJobs) EnqueueTranscript(ctx context.Context, transcriptID uuid.UUID, generation int) error {
	t, err := NewTranscriptProcessTask(TranscriptProcessPayload{TranscriptID: transcriptID, Generation: generation})
	return j.enqueue(ctx, t, TranscriptTaskID(transcriptID, generation), err)
}

func (j RecordingJobs) enqueue(ctx context.Context, t *asynq.Task, id string, err error) error {
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, EnqueueDeadline)
	defer cancel()
	_, err = j.Q.EnqueueContext(ctx, t)
	if errors.Is(err, asynq.ErrTaskIDConflict) && j.Inspector != nil {
		err = j.replaceArchived(ctx, t, id)
	}
	if err == nil || errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	return fmt.Errorf("enqueue %s %s: %w", t.Type(), id, err)
}

// replaceArchived queues t again if the task holding its id is archived.
func (j RecordingJobs) replaceArchived(ctx context.Context, t *asynq.Task, id string) error {
	info, err := j.Inspector.GetTaskInfo(recordingQueue, id)
	if errors.Is(err, asynq.ErrTaskNotFound) {
		_, err = j.Q.EnqueueContext(ctx, t) // gone since: its retention ended
		return err
	}
	if err != nil || info.State != asynq.TaskStateArchived {
		return asynq.ErrTaskIDConflict // live, or retained as completed: leave it
	}
	if err := j.Inspector.DeleteTask(recordingQueue, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
		return fmt.Errorf("free archived task: %w", err)
	}
	_, err = j.Q.EnqueueContext(ctx, t)
	return err
}
