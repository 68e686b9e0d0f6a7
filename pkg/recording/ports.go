package recording

import (
	"context"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/transcribe"
)

// Enqueuer queues the processing of one object of the Whereby bucket; the task layer
// implements it with a task id derived from bucket and key, so a redelivered notification
// does not queue a second task.
type Enqueuer interface {
	EnqueueProcessS3(ctx context.Context, bucket, key string) error
}

// DownloadEnqueuer queues the download of a pending recording (task id from the recording id).
type DownloadEnqueuer interface {
	EnqueueDownload(ctx context.Context, recordingID uuid.UUID) error
}

// TranscriptEnqueuer queues the transcription of one generation of a transcript; the task
// layer uses the id transcript:process:<id>:<generation>, which makes the hand-off exactly once.
type TranscriptEnqueuer interface {
	EnqueueTranscript(ctx context.Context, transcriptID uuid.UUID, generation int) error
}

// CompletionNotifier is told, after commit, that a transcript generation completed (the
// room's transcript.completed webhook). It must be idempotent per generation: a task retry
// tells it again.
type CompletionNotifier interface {
	TranscriptCompleted(ctx context.Context, transcriptID uuid.UUID, generation int) error
}

// Objects is the object storage the flow reads and writes (objstore.Store implements it).
type Objects interface {
	Upload(ctx context.Context, bucket, key string, r io.Reader, contentType string) (int64, error)
	Open(ctx context.Context, bucket, key string) (io.ReadCloser, int64, error)
	Delete(ctx context.Context, bucket, key string) error
	PresignGet(ctx context.Context, bucket, key string, ttl time.Duration) (string, error)
	List(ctx context.Context, bucket, prefix string, fn func(key string) error) error
}

// Transcriber turns one audio stream into timed segments (transcribe.Client implements it).
type Transcriber interface {
	Transcribe(ctx context.Context, filename string, audio io.Reader) (transcribe.Result, error)
}

// DailyRecording is one item of Daily's GET /recordings list.
type DailyRecording struct {
	ID           string
	RoomName     string
	StartTS      int64
	Status       string   // in-progress | finished | canceled
	Duration     *float64 // nil while in progress
	S3Key        string
	Type         string // cloud | raw-tracks, when Daily says
	MtgSessionID string
	Tracks       []DailyTrack
}

// DailyLister lists Daily recordings newest first, a page after startingAfter (a recording
// id; "" for the newest). The lead adapts pkg/platform/daily to it.
type DailyLister interface {
	ListRecordings(ctx context.Context, roomName, startingAfter string, limit int) ([]DailyRecording, error)
}

// DailyLinks fetches the presigned download link of a Daily recording (GET
// /recordings/:id/access-link). The link is a credential: it is stored on the recording to
// download from, and never logged.
type DailyLinks interface {
	RecordingAccessLink(ctx context.Context, recordingID string) (string, time.Time, error)
}
