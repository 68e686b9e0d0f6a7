package recording

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/lease"
	"github.com/monadical/reflector-go/pkg/transcribe"
)

// Claim is a lease sweep's claim on a stalled row, taken only if the row is unchanged and
// still past its lease (its updated_at before Before). It renews the lease to Now and counts
// a restart (lease.Restart), or, when the row had MaxRequeues restarts (a recording also: ran
// MaxRuns times), parks it with dead_at and Reason (lease.Dead).
type Claim struct {
	Before, Now          time.Time
	MaxRequeues, MaxRuns int
	Reason               string
}

// Store is the persistence the recording flow needs; pkg/store implements it. Lookups of a
// missing row return ErrNotFound.
type Store interface {
	// InTx runs fn with a copy of the store bound to one transaction.
	InTx(ctx context.Context, fn func(tx Store) error) error

	// RecordingInsert inserts r, or returns the existing row with the same (platform, provider
	// recording id) or (bucket, object key); created reports which.
	RecordingInsert(ctx context.Context, r Recording) (rec Recording, created bool, err error)
	RecordingByID(ctx context.Context, id uuid.UUID) (Recording, error)
	// RecordingLock reads a recording and locks it until the transaction ends.
	RecordingLock(ctx context.Context, id uuid.UUID) (Recording, error)
	RecordingByObject(ctx context.Context, bucket, key string) (Recording, error)
	// RecordingSetStatus moves a recording from ch.From to ch.To, or returns ErrStatusConflict
	// when it is not in ch.From any more.
	RecordingSetStatus(ctx context.Context, id uuid.UUID, ch StatusChange) error
	// RecordingAttach sets the meeting of an orphan (clearing its orphan reason).
	RecordingAttach(ctx context.Context, id, meetingID uuid.UUID, now time.Time) error
	// RecordingsFailed lists failed recordings of the platforms tried fewer than maxAttempts times.
	RecordingsFailed(ctx context.Context, platforms []string, maxAttempts, limit int) ([]Recording, error)
	// RecordingsOrphaned lists orphans of the platforms created after since.
	RecordingsOrphaned(ctx context.Context, platforms []string, since time.Time, limit int) ([]Recording, error)

	// MeetingsByProviderRoomName lists the meetings with that provider room name, newest first.
	MeetingsByProviderRoomName(ctx context.Context, platform, roomName string) ([]Meeting, error)
	MeetingByID(ctx context.Context, id uuid.UUID) (Meeting, error)
	// MeetingSetComposedVideo records Daily's composed video unless one is already set, and
	// reports whether it did.
	MeetingSetComposedVideo(ctx context.Context, meetingID uuid.UUID, key string, durationSec int) (bool, error)
	// MeetingSetRecordingStarted notes that a provider started recording the meeting.
	MeetingSetRecordingStarted(ctx context.Context, meetingID uuid.UUID, at time.Time) error
	// MeetingsMissingRecording lists the meetings that ended in [endedAfter, endedBefore), should
	// have been recorded (cloud recording: not none, nor local, which never reaches our buckets;
	// and a recording started or ≥ 2 sessions) and
	// have no recording that is stored, processing or completed, nor a composed video.
	MeetingsMissingRecording(ctx context.Context, endedAfter, endedBefore time.Time) ([]MissingRecording, error)
	// MeetingConsentDenied reports whether any participant refused consent.
	MeetingConsentDenied(ctx context.Context, meetingID uuid.UUID) (bool, error)
	ParticipantSessionsForMeeting(ctx context.Context, meetingID uuid.UUID) ([]ParticipantSession, error)

	TranscriptForRecording(ctx context.Context, recordingID uuid.UUID) (Transcript, error)
	TranscriptInsert(ctx context.Context, t Transcript) error
	// TranscriptLock reads a transcript and locks it until the transaction ends.
	TranscriptLock(ctx context.Context, id uuid.UUID) (Transcript, error)
	TranscriptSetStatus(ctx context.Context, id uuid.UUID, status TranscriptStatus, errText string, now time.Time) error
	// TranscriptSaveResult stores segments, participants and duration and ends the transcript.
	TranscriptSaveResult(ctx context.Context, t Transcript, now time.Time) error
	// TranscriptBumpGeneration increments the generation, sets status uploaded, clears the
	// error and returns the new generation.
	TranscriptBumpGeneration(ctx context.Context, id uuid.UUID, now time.Time) (int, error)
	TranscriptSetAudioDeleted(ctx context.Context, id uuid.UUID, now time.Time) error
	// TranscriptsStalled lists transcripts uploaded or processing, not dead, whose lease
	// (updated_at) ended before before.
	TranscriptsStalled(ctx context.Context, before time.Time, limit int) ([]Transcript, error)
	// TranscriptRequeue claims a stalled transcript for a restart (see Claim).
	TranscriptRequeue(ctx context.Context, t Transcript, c Claim) (lease.Outcome, error)
	// TranscriptTouch renews the lease of a processing transcript.
	TranscriptTouch(ctx context.Context, id uuid.UUID, now time.Time) error
	// RecordingsStalled lists recordings pending, downloading, or stored with a meeting and no
	// transcript (composed videos aside), not dead, whose lease (updated_at) ended before before.
	RecordingsStalled(ctx context.Context, before time.Time, limit int) ([]Recording, error)
	// RecordingRequeue claims a stalled recording for a restart (see Claim); a dead one is
	// also marked failed with c.Reason.
	RecordingRequeue(ctx context.Context, rec Recording, c Claim) (lease.Outcome, error)
	// RecordingTouch renews the lease of a pending or downloading recording.
	RecordingTouch(ctx context.Context, id uuid.UUID, now time.Time) error

	// TrackResult returns the stored speech-to-text result of a track, if any.
	TrackResult(ctx context.Context, ref TrackRef) (transcribe.Result, bool, error)
	// TrackAttempt records that a request for the track is about to be sent.
	TrackAttempt(ctx context.Context, ref TrackRef, now time.Time) error
	// TrackSaveResult stores the track's result unless one is stored already, and reports
	// whether it did.
	TrackSaveResult(ctx context.Context, ref TrackRef, res transcribe.Result, now time.Time) (bool, error)

	// PollCursorGet returns a poll cursor's value, or "" when there is none.
	PollCursorGet(ctx context.Context, name string) (string, error)
	PollCursorSet(ctx context.Context, name, value string, now time.Time) error
}

// StatusChange is one status move of a recording. The store also stamps stored_at,
// completed_at or failed_at for those targets, counts an attempt when the target is
// downloading or processing, and sets last_error when Error is not empty.
type StatusChange struct {
	From, To  Status
	At        time.Time
	Error     string
	SizeBytes int64   // set when > 0
	Duration  float64 // seconds; set when > 0
}
