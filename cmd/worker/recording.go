package main

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// recordingDeps builds the recording pipeline for the mux. With recordings not configured it
// returns nil handlers (the mux then registers none) and logs that ingestion is disabled.
// The returned func releases the inspector.
func recordingDeps(ctx context.Context, cfg *config.Config, db *sqlx.DB, platforms *platform.Registry,
	queue tasks.Enqueuer, redisOpt asynq.RedisConnOpt, log *zap.Logger,
) (tasks.Recordings, tasks.SQSPoller, func(), error) {
	if !cfg.Recording.Enabled() {
		log.Warn("recording ingestion disabled: set TRANSCRIPTION_URL (and the TRANSCRIPT_STORAGE_AWS_* settings) to enable it")
		return nil, nil, func() {}, nil
	}
	inspector := asynq.NewInspector(redisOpt)
	rec, err := setup.NewRecording(ctx, cfg, setup.RecordingDeps{DB: db, Platforms: platforms, Queue: queue,
		Inspector: inspector, Log: log.Named("recording"), Now: time.Now})
	if err != nil {
		_ = inspector.Close()
		return nil, nil, nil, err
	}
	closeFn := func() { _ = inspector.Close() }
	if rec.Poller == nil {
		log.Info("SQS recording poll disabled: AWS_PROCESS_RECORDING_QUEUE_URL is not set")
		return rec.Service, nil, closeFn, nil
	}
	return rec.Service, rec.Poller, closeFn, nil
}
