package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/roomhook"
)

// RoomHookStore implements roomhook.Store.
type RoomHookStore struct{ RoomStore }

// NewRoomHookStore returns the adapter.
func NewRoomHookStore(db *sqlx.DB) RoomHookStore { return RoomHookStore{NewRoomStore(db)} }

type hookRow struct {
	ID           uuid.UUID              `db:"id"`
	RoomID       uuid.UUID              `db:"room_id"`
	RoomName     string                 `db:"room_name"`
	URL          string                 `db:"webhook_url"`
	Secret       string                 `db:"webhook_secret"`
	CreatedAt    time.Time              `db:"created_at"`
	Duration     *float64               `db:"duration"`
	Title        string                 `db:"title"`
	Status       string                 `db:"status"`
	Participants recording.Participants `db:"participants"`
	EventID      *uuid.UUID             `db:"event_id"`
	ICSUID       *string                `db:"ics_uid"`
	EventTitle   *string                `db:"event_title"`
	Start        *time.Time             `db:"start_time"`
	End          *time.Time             `db:"end_time"`
	Description  *string                `db:"description"`
	Location     *string                `db:"location"`
	Attendees    []byte                 `db:"attendees"`
}

// HookCompleted implements roomhook.Store; a transcript without a room is room.ErrNotFound.
func (s RoomHookStore) HookCompleted(ctx context.Context, transcriptID uuid.UUID) (roomhook.Completed, error) {
	var r hookRow
	err := sqlx.GetContext(ctx, s.q, &r, `SELECT t.id, r.id AS room_id, r.name AS room_name,
		COALESCE(r.webhook_url, '') AS webhook_url, COALESCE(r.webhook_secret, '') AS webhook_secret,
		t.created_at, t.duration, t.title, t.status, t.participants,
		ce.id AS event_id, ce.ics_uid, ce.title AS event_title, ce.start_time, ce.end_time, ce.description,
		ce.location, ce.attendees
		FROM transcript t JOIN room r ON r.id = t.room_id
		LEFT JOIN meeting m ON m.id = t.meeting_id
		LEFT JOIN calendar_event ce ON ce.id = m.calendar_event_id
		WHERE t.id = $1`, transcriptID)
	if isNoRows(err) {
		return roomhook.Completed{}, room.ErrNotFound
	}
	if err != nil {
		return roomhook.Completed{}, fmt.Errorf("hook transcript: %w", err)
	}
	return r.completed(), nil
}

func (r hookRow) completed() roomhook.Completed {
	roomID := r.RoomID
	t := roomhook.TranscriptData{ID: r.ID, RoomID: &roomID, CreatedAt: r.CreatedAt.UTC(), Duration: r.Duration,
		Topics: []any{}, Participants: []roomhook.Participant{}, SourceLanguage: "en", TargetLanguage: "en", Status: r.Status}
	if r.Title != "" {
		t.Title = &r.Title
	}
	for _, p := range r.Participants {
		name, speaker := p.Name, p.Speaker
		t.Participants = append(t.Participants, roomhook.Participant{ID: participantID(p), Name: &name, Speaker: &speaker})
	}
	c := roomhook.Completed{Transcript: t, Room: roomhook.RoomRef{ID: r.RoomID, Name: r.RoomName}, URL: r.URL, Secret: r.Secret}
	if r.EventID != nil {
		c.CalendarEvent = &roomhook.CalendarEvent{ID: *r.EventID, ICSUID: r.ICSUID, Title: r.EventTitle,
			StartTime: r.Start, EndTime: r.End, Description: nonBlank(r.Description), Location: nonBlank(r.Location),
			Attendees: attendeeEmails(r.Attendees)}
	}
	return c
}

func participantID(p recording.Participant) string {
	switch {
	case p.SessionID != "":
		return p.SessionID
	case p.UserID != "":
		return p.UserID
	}
	return fmt.Sprintf("speaker-%d", p.Speaker)
}

func nonBlank(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	return s
}

// attendeeEmails lists the attendees' addresses (the payload's attendees are strings).
func attendeeEmails(raw []byte) []string {
	var as []struct {
		Email string `json:"email"`
	}
	if json.Unmarshal(raw, &as) != nil {
		return nil
	}
	var out []string
	for _, a := range as {
		if a.Email != "" {
			out = append(out, a.Email)
		}
	}
	return out
}
