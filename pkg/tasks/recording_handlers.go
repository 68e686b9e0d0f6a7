package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/recording"
)

// Recordings is what the recording handlers need of the recording service
// (*recording.Service implements it).
type Recordings interface {
	ProcessS3Object(ctx context.Context, bucket, key string) error
	DownloadRecording(ctx context.Context, id uuid.UUID) error
	ProcessTranscript(ctx context.Context, transcriptID uuid.UUID, generation int) error
	FailTranscript(ctx context.Context, transcriptID uuid.UUID, generation int, cause error) error
	PollDaily(ctx context.Context) (int, error)
	RequeueStalled(ctx context.Context, olderThan time.Duration) (int, error)
	MissingRecordings(ctx context.Context, now time.Time) ([]recording.MissingRecording, error)
	ReprocessFailed(ctx context.Context) (recording.NightlyReport, error)
}

// SQSPoller drains the SQS queue of S3 notifications (*recording.Poller implements it).
type SQSPoller interface {
	PollOnce(ctx context.Context) (recording.PollResult, error)
}

// recordingErr adds the operation and turns a permanent failure (the recording is already
// marked failed with its reason) into asynq.SkipRetry: retrying cannot fix it.
func recordingErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, recording.ErrPermanent):
		return fmt.Errorf("%s: %w: %w", op, err, asynq.SkipRetry)
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
}

// finalAttempt reports whether asynq will not retry the running task after a failure.
func finalAttempt(ctx context.Context) bool {
	n, ok := asynq.GetRetryCount(ctx)
	limit, ok2 := asynq.GetMaxRetry(ctx)
	return ok && ok2 && n >= limit
}

// RecordingProcessS3Handler runs recording:process_s3.
type RecordingProcessS3Handler struct{ Service Recordings }

// ProcessTask implements asynq.Handler.
func (h RecordingProcessS3Handler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p RecordingProcessS3Payload
	if err := decode(t, &p); err != nil {
		return err
	}
	return recordingErr(t.Type(), h.Service.ProcessS3Object(ctx, p.Bucket, p.Key))
}

// RecordingDownloadHandler runs recording:download.
type RecordingDownloadHandler struct{ Service Recordings }

// ProcessTask implements asynq.Handler.
func (h RecordingDownloadHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p RecordingDownloadPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	return recordingErr(t.Type(), h.Service.DownloadRecording(ctx, p.RecordingID))
}

// TranscriptProcessHandler runs transcript:process. When the last retry fails too, the
// generation is marked failed (transcript error, recording failed with the reason), so the
// nightly retry and reflectorctl see it instead of a transcript stuck in processing.
type TranscriptProcessHandler struct{ Service Recordings }

// ProcessTask implements asynq.Handler.
func (h TranscriptProcessHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p TranscriptProcessPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	err := h.Service.ProcessTranscript(ctx, p.TranscriptID, p.Generation)
	if err != nil && !errors.Is(err, recording.ErrPermanent) && finalAttempt(ctx) {
		err = h.Service.FailTranscript(ctx, p.TranscriptID, p.Generation, err)
	}
	return recordingErr(t.Type(), err)
}

// RecordingPollSQSHandler runs recording:poll_sqs: it receives batches until the queue is
// empty or Budget has passed, so a backlog drains faster than one batch per tick.
type RecordingPollSQSHandler struct {
	Poller SQSPoller
	Budget time.Duration // default 40 s
	Log    *zap.Logger
	Now    func() time.Time
}

// ProcessTask implements asynq.Handler.
func (h RecordingPollSQSHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	budget := h.Budget
	if budget <= 0 {
		budget = 40 * time.Second
	}
	start := h.Now()
	var total recording.PollResult
	for {
		res, err := h.Poller.PollOnce(ctx)
		total.Received += res.Received
		total.Enqueued += res.Enqueued
		total.Deleted += res.Deleted
		total.Kept += res.Kept
		if err != nil {
			return fmt.Errorf("%s: %w", TypeRecordingPollSQS, err) // kept messages come back
		}
		if res.Received == 0 || h.Now().Sub(start) >= budget || ctx.Err() != nil {
			break
		}
	}
	if total.Received > 0 {
		h.Log.Info("SQS recording notifications", zap.Int("received", total.Received),
			zap.Int("enqueued", total.Enqueued), zap.Int("deleted", total.Deleted), zap.Int("kept", total.Kept))
	}
	return nil
}

// RecordingPollDailyHandler runs recording:poll_daily, the fallback for lost
// ready-to-download webhooks.
type RecordingPollDailyHandler struct {
	Service Recordings
	Log     *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h RecordingPollDailyHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	n, err := h.Service.PollDaily(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", t.Type(), err)
	}
	if n > 0 {
		h.Log.Info("Daily recordings polled", zap.Int("handled", n))
	}
	return nil
}

// RecordingRequeueStalledHandler runs recording:requeue_stalled: it re-enqueues the work of
// recordings and transcripts whose lease ended (a lost enqueue, a Redis restart, a killed
// worker); the task ids make a repeat harmless.
type RecordingRequeueStalledHandler struct {
	Service    Recordings
	StallAfter time.Duration // default: the recording service's lease
	Log        *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h RecordingRequeueStalledHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	n, err := h.Service.RequeueStalled(ctx, h.StallAfter)
	if err != nil {
		return fmt.Errorf("%s: %w", t.Type(), err)
	}
	if n > 0 {
		h.Log.Info("stalled recording work re-enqueued", zap.Int("count", n))
	}
	return nil
}

// RecordingLedgerHandler runs recording:ledger, the completeness check: meetings that
// should have a recording and have none are logged one by one and counted.
type RecordingLedgerHandler struct {
	Service Recordings
	Now     func() time.Time
}

// ProcessTask implements asynq.Handler.
func (h RecordingLedgerHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	if _, err := h.Service.MissingRecordings(ctx, h.Now()); err != nil {
		return fmt.Errorf("%s: %w", t.Type(), err)
	}
	return nil
}

// RecordingReprocessFailedHandler runs recording:reprocess_failed, the nightly retry.
type RecordingReprocessFailedHandler struct{ Service Recordings }

// ProcessTask implements asynq.Handler.
func (h RecordingReprocessFailedHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	if _, err := h.Service.ReprocessFailed(ctx); err != nil {
		return fmt.Errorf("%s: %w", t.Type(), err)
	}
	return nil
}

// registerRecordings adds the recording handlers; without a service (recordings are not
// configured) none is registered, and without an SQS poller neither is its handler.
func registerRecordings(mux *asynq.ServeMux, d Deps) {
	if d.Recordings == nil {
		return
	}
	now := time.Now
	mux.Handle(TypeRecordingProcessS3, RecordingProcessS3Handler{Service: d.Recordings})
	mux.Handle(TypeRecordingDownload, RecordingDownloadHandler{Service: d.Recordings})
	mux.Handle(TypeTranscriptProcess, TranscriptProcessHandler{Service: d.Recordings})
	mux.Handle(TypeRecordingPollDaily, RecordingPollDailyHandler{Service: d.Recordings, Log: d.Log})
	mux.Handle(TypeRecordingRequeueStalled, RecordingRequeueStalledHandler{Service: d.Recordings, Log: d.Log})
	mux.Handle(TypeRecordingLedger, RecordingLedgerHandler{Service: d.Recordings, Now: now})
	mux.Handle(TypeRecordingReprocessFailed, RecordingReprocessFailedHandler{Service: d.Recordings})
	if d.SQS != nil {
		mux.Handle(TypeRecordingPollSQS, RecordingPollSQSHandler{Poller: d.SQS, Log: d.Log, Now: now})
	}
}
