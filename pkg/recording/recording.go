// Package recording turns provider recordings into transcripts: the Whereby S3→SQS path, Daily
// ready-to-download events and their polling fallback, streaming downloads from provider links
// into our bucket, the ffprobe audio check, the exactly-once hand-off to transcription, the
// transcription itself, consent clean-up, the completeness ledger and the nightly retry.
package recording

import (
	"time"

	"github.com/google/uuid"
)

// Status is where a recording is in its life: pending → downloading → stored → processing →
// completed | failed.
type Status string

// Recording statuses.
const (
	StatusPending     Status = "pending"
	StatusDownloading Status = "downloading"
	StatusStored      Status = "stored"
	StatusProcessing  Status = "processing"
	StatusCompleted   Status = "completed"
	StatusFailed      Status = "failed"
)

// transitions lists the moves the service makes. A restarted step may repeat its own status
// (a download or a transcription retried after a crash); a failed recording is retried from
// the step that failed; a completed one is reprocessed on request.
var transitions = map[Status][]Status{ //nolint:gochecknoglobals // constant table
	StatusPending:     {StatusDownloading, StatusStored, StatusFailed},
	StatusDownloading: {StatusDownloading, StatusStored, StatusFailed},
	StatusStored:      {StatusProcessing, StatusCompleted, StatusFailed},
	StatusProcessing:  {StatusProcessing, StatusCompleted, StatusFailed},
	StatusCompleted:   {StatusProcessing},
	StatusFailed:      {StatusPending, StatusStored, StatusProcessing, StatusFailed},
}

// CanMove reports whether the service may move a recording from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Kind says what a recording row stands for.
type Kind string

// Recording kinds.
const (
	KindFile      Kind = "file"       // one media file (Whereby, or a download from a link)
	KindCloud     Kind = "cloud"      // Daily's composed video; stored on the meeting, not transcribed
	KindRawTracks Kind = "raw-tracks" // Daily's per-participant tracks (TrackKeys)
)

// Platform names as stored in recording.platform.
const (
	PlatformDaily   = "daily"
	PlatformWhereby = "whereby"
)

// Recording is one provider recording we know of.
type Recording struct {
	ID                  uuid.UUID  `db:"id"`
	Platform            string     `db:"platform"`
	ProviderRecordingID string     `db:"provider_recording_id"` // "" when the provider gives none
	Kind                Kind       `db:"kind"`
	Bucket              string     `db:"bucket_name"`
	ObjectKey           string     `db:"object_key"`
	SourceURL           string     `db:"source_url"` // provider link to download from, if any
	RecordedAt          time.Time  `db:"recorded_at"`
	Status              Status     `db:"status"`
	MeetingID           *uuid.UUID `db:"meeting_id"` // nil for an orphan
	RoomID              *uuid.UUID `db:"room_id"`    // the meeting's room, read with the row; nil for an orphan
	ProviderRoomName    string     `db:"provider_room_name"`
	OrphanReason        string     `db:"orphan_reason"`
	TrackKeys           Strings    `db:"track_keys"` // audio objects of a raw-tracks recording
	Duration            float64    `db:"duration"`   // seconds; 0 when unknown
	SizeBytes           int64      `db:"size_bytes"`
	Attempts            int        `db:"attempts"`
	LastError           string     `db:"last_error"`
	CreatedAt           time.Time  `db:"created_at"`
	UpdatedAt           time.Time  `db:"updated_at"`
	StoredAt            *time.Time `db:"stored_at"`
	CompletedAt         *time.Time `db:"completed_at"`
	FailedAt            *time.Time `db:"failed_at"`
}

// AudioKeys are the objects holding the recording's audio, one per speaker track.
func (r Recording) AudioKeys() []string {
	if len(r.TrackKeys) > 0 {
		return r.TrackKeys
	}
	return []string{r.ObjectKey}
}

// Meeting is what the recording flow needs of a meeting and its room.
type Meeting struct {
	ID               uuid.UUID  `db:"id"`
	RoomID           uuid.UUID  `db:"room_id"`
	RoomOwner        string     `db:"room_owner"` // room.user_id: the transcript's owner
	Platform         string     `db:"platform"`
	RoomName         string     `db:"room_name"` // the provider's room name
	StartDate        time.Time  `db:"start_date"`
	EndDate          time.Time  `db:"end_date"`
	EndedAt          *time.Time `db:"ended_at"`
	ComposedVideoKey *string    `db:"daily_composed_video_s3_key"`
}

// end is when the meeting stopped, or is scheduled to.
func (m Meeting) end() time.Time {
	if m.EndedAt != nil {
		return *m.EndedAt
	}
	return m.EndDate
}

// ParticipantSession is one provider participant session of a meeting.
type ParticipantSession struct {
	SessionID string     `db:"session_id"`
	UserID    string     `db:"user_id"`
	UserName  string     `db:"user_name"`
	JoinedAt  time.Time  `db:"joined_at"`
	LeftAt    *time.Time `db:"left_at"`
}

// MissingRecording is a meeting that should have produced a recording and has none.
type MissingRecording struct {
	MeetingID    uuid.UUID `db:"meeting_id"`
	RoomID       uuid.UUID `db:"room_id"`
	Platform     string    `db:"platform"`
	RoomName     string    `db:"room_name"` // provider room name
	EndedAt      time.Time `db:"ended_at"`
	Sessions     int       `db:"sessions"`
	Started      bool      `db:"recording_started"`
	FailedReason string    `db:"failed_reason"` // last error of a failed recording, if one exists
}
