package recording

import (
	"time"

	"github.com/google/uuid"
)

// TranscriptStatus is the transcript's own status, as the original exposes it.
type TranscriptStatus string

// Transcript statuses.
const (
	TranscriptIdle       TranscriptStatus = "idle"
	TranscriptUploaded   TranscriptStatus = "uploaded"
	TranscriptProcessing TranscriptStatus = "processing"
	TranscriptEnded      TranscriptStatus = "ended"
	TranscriptError      TranscriptStatus = "error"
)

// Transcript is the transcript of one recording (at most one per recording).
type Transcript struct {
	ID           uuid.UUID        `db:"id"`
	RecordingID  uuid.UUID        `db:"recording_id"`
	MeetingID    uuid.UUID        `db:"meeting_id"`
	RoomID       uuid.UUID        `db:"room_id"`
	UserID       string           `db:"user_id"`
	Title        string           `db:"title"`
	SourceKind   string           `db:"source_kind"`
	ShareMode    string           `db:"share_mode"`
	Status       TranscriptStatus `db:"status"`
	Generation   int              `db:"generation"`
	Duration     float64          `db:"duration"` // milliseconds, as the original stores it
	Participants Participants     `db:"participants"`
	Segments     Segments         `db:"segments"`
	AudioDeleted bool             `db:"audio_deleted"`
	Error        string           `db:"error"`
	CreatedAt    time.Time        `db:"created_at"`
	UpdatedAt    time.Time        `db:"updated_at"`
}

// newTranscript is the transcript the original creates for a room recording.
func newTranscript(rec Recording, m Meeting) Transcript {
	return Transcript{
		ID: uuid.New(), RecordingID: rec.ID, MeetingID: m.ID, RoomID: m.RoomID, UserID: m.RoomOwner,
		SourceKind: "room", ShareMode: "public", Status: TranscriptUploaded, Generation: 1,
		Participants: Participants{}, Segments: Segments{},
	}
}

// Participant is one speaker of a transcript.
type Participant struct {
	Speaker   int    `json:"speaker"`
	Name      string `json:"name"`
	UserID    string `json:"user_id,omitempty"`
	SessionID string `json:"session_id,omitempty"`
}

// Segment is one timed utterance of a speaker, in seconds from the recording start.
type Segment struct {
	Speaker int     `json:"speaker"`
	Start   float64 `json:"start"`
	End     float64 `json:"end"`
	Text    string  `json:"text"`
}
