// Package meeting is the lifecycle of a room's meetings: get-or-create under the room lock,
// join intents registered in the same transaction that hands a meeting out, the deactivation
// decision (a pure function) and its transactional application. It is the part of the product
// that keeps every user of a room in the same provider room.
package meeting

import (
	"time"

	"github.com/google/uuid"
)

// Kinds of meeting. At most one active KindAdhoc meeting exists per room (a unique index).
const (
	KindAdhoc    = "adhoc"    // the room's own meeting, shared by everyone who opens the room
	KindExtra    = "extra"    // an ad-hoc meeting made on purpose beside it (allow_duplicated)
	KindCalendar = "calendar" // one per calendar slot
)

// Meeting is one meeting of a room, running in one provider room. JSON names are the
// original API's (and the table's columns).
type Meeting struct {
	ID                         uuid.UUID  `db:"id" json:"id"`
	RoomID                     uuid.UUID  `db:"room_id" json:"room_id"`
	Kind                       string     `db:"kind" json:"kind"`
	Platform                   string     `db:"platform" json:"platform"`
	ProviderMeetingID          string     `db:"provider_meeting_id" json:"provider_meeting_id"`
	RoomName                   string     `db:"room_name" json:"room_name"`
	RoomURL                    string     `db:"room_url" json:"room_url"`
	HostRoomURL                string     `db:"host_room_url" json:"host_room_url"`
	StartDate                  time.Time  `db:"start_date" json:"start_date"`
	EndDate                    time.Time  `db:"end_date" json:"end_date"`
	IsLocked                   bool       `db:"is_locked" json:"is_locked"`
	RoomMode                   string     `db:"room_mode" json:"room_mode"`
	RecordingType              string     `db:"recording_type" json:"recording_type"`
	RecordingTrigger           string     `db:"recording_trigger" json:"recording_trigger"`
	NumClients                 int        `db:"num_clients" json:"num_clients"`
	IsActive                   bool       `db:"is_active" json:"is_active"`
	CalendarEventID            *uuid.UUID `db:"calendar_event_id" json:"calendar_event_id"`
	CalendarMetadata           RawJSON    `db:"calendar_metadata" json:"calendar_metadata"`
	DailyComposedVideoS3Key    *string    `db:"daily_composed_video_s3_key" json:"daily_composed_video_s3_key"`
	DailyComposedVideoDuration *int       `db:"daily_composed_video_duration" json:"daily_composed_video_duration"`
	LastParticipantLeftAt      *time.Time `db:"last_participant_left_at" json:"last_participant_left_at"`
	EverJoined                 bool       `db:"ever_joined" json:"ever_joined"`
	EndedAt                    *time.Time `db:"ended_at" json:"ended_at"`
	EndedReason                *string    `db:"ended_reason" json:"ended_reason"`
	CreatedAt                  time.Time  `db:"created_at" json:"created_at"`
	// AdhocSeq is the ordinal of an ad-hoc meeting among its room's (nil for other kinds and
	// for meetings made before it existed); the meeting id is derived from it.
	AdhocSeq *int64 `db:"adhoc_seq" json:"-"`
}

// Joinable reports whether a client may be sent to the meeting at now.
func (m Meeting) Joinable(now time.Time) bool { return m.IsActive && m.EndDate.After(now) }

// Intent states.
const (
	IntentJoining   = "joining"   // handed the meeting, in the WebRTC handshake
	IntentConnected = "connected" // in the call, possibly not yet visible to presence
)

// Intent is one browser tab's intent to be in a meeting. A live intent (expires_at > now)
// keeps the meeting from being deactivated.
type Intent struct {
	MeetingID    uuid.UUID `db:"meeting_id" json:"meeting_id"`
	ConnectionID string    `db:"connection_id" json:"connection_id"`
	UserID       *string   `db:"user_id" json:"user_id"`
	State        string    `db:"state" json:"state"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
	ExpiresAt    time.Time `db:"expires_at" json:"expires_at"`
}
