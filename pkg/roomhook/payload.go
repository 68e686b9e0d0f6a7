package roomhook

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// RoomRef is the payload's room.
type RoomRef struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// TestPayload is the original's WebhookTestPayload.
type TestPayload struct {
	Event     string    `json:"event"`
	EventID   string    `json:"event_id"`
	Timestamp time.Time `json:"timestamp"`
	Message   string    `json:"message"`
	Room      RoomRef   `json:"room"`
}

// Participant is one speaker of the transcript.
type Participant struct {
	ID      string  `json:"id"`
	Name    *string `json:"name"`
	Speaker *int    `json:"speaker"`
}

// TranscriptData is the original's WebhookTranscriptPayload. Fields this service does not
// produce (summaries, topics, webvtt, action items) are null or empty, as the original sends
// them for a transcript without them.
type TranscriptData struct {
	ID             uuid.UUID       `json:"id"`
	RoomID         *uuid.UUID      `json:"room_id"`
	CreatedAt      time.Time       `json:"created_at"`
	Duration       *float64        `json:"duration"`
	Title          *string         `json:"title"`
	ShortSummary   *string         `json:"short_summary"`
	LongSummary    *string         `json:"long_summary"`
	WebVTT         *string         `json:"webvtt"`
	Topics         []any           `json:"topics"`
	Participants   []Participant   `json:"participants"`
	SourceLanguage string          `json:"source_language"`
	TargetLanguage string          `json:"target_language"`
	Status         string          `json:"status"`
	FrontendURL    string          `json:"frontend_url"`
	ActionItems    json.RawMessage `json:"action_items"`
}

// CalendarEvent is the original's WebhookCalendarEventPayload.
type CalendarEvent struct {
	ID          uuid.UUID  `json:"id"`
	ICSUID      *string    `json:"ics_uid"`
	Title       *string    `json:"title"`
	StartTime   *time.Time `json:"start_time"`
	EndTime     *time.Time `json:"end_time"`
	Description *string    `json:"description"`
	Location    *string    `json:"location"`
	Attendees   []string   `json:"attendees"`
}

// Payload is the original's transcript.completed WebhookPayload.
type Payload struct {
	Event         string         `json:"event"`
	EventID       string         `json:"event_id"`
	Timestamp     time.Time      `json:"timestamp"`
	Transcript    TranscriptData `json:"transcript"`
	Room          RoomRef        `json:"room"`
	CalendarEvent *CalendarEvent `json:"calendar_event"`
}
