package meeting

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/room"
)

// Kinds of timeline events.
const (
	EventCreated             = "created"
	EventProviderRoomCreated = "provider_room_created"
	EventHandout             = "handout"
	EventDecision            = "decision"
	EventGraceStarted        = "grace_started"
	EventGraceCleared        = "grace_cleared"
	EventEnded               = "ended"
	EventProviderRoomDeleted = "provider_room_deleted"
)

// Actors of the timeline that are not users.
const (
	ActorProcessMeetings = "process-meetings"
	ActorAnonymous       = "anonymous"
	ActorWorker          = "worker"
)

// Event is one line of a meeting's timeline (table meeting_event).
type Event struct {
	ID        int64     `db:"id" json:"id"`
	MeetingID uuid.UUID `db:"meeting_id" json:"meeting_id"`
	At        time.Time `db:"at" json:"at"`
	Kind      string    `db:"kind" json:"kind"`
	Actor     string    `db:"actor" json:"actor"`
	Detail    RawJSON   `db:"detail" json:"detail"`
}

// NewEvent builds an event; detail is encoded as JSON (nil: {}).
func NewEvent(meetingID uuid.UUID, at time.Time, kind, actor string, detail map[string]any) Event {
	b := []byte("{}")
	if detail != nil {
		if enc, err := json.Marshal(detail); err == nil {
			b = enc
		}
	}
	return Event{MeetingID: meetingID, At: at, Kind: kind, Actor: actor, Detail: b}
}

// actor names a user for the timeline.
func actor(userID *string) string {
	if userID == nil || *userID == "" {
		return ActorAnonymous
	}
	return *userID
}

// Timeline returns a meeting's timeline, oldest first, to the owner of its room only (or to
// anyone when userID is AnyCaller, as the CLI reads it).
func (s *Service) Timeline(ctx context.Context, id uuid.UUID, userID string) (Meeting, []Event, error) {
	m, err := s.cfg.Store.MeetingByID(ctx, id)
	if err != nil {
		return Meeting{}, nil, fmt.Errorf("meeting.Timeline: %w", err)
	}
	if userID != AnyCaller {
		r, err := s.cfg.Store.RoomByID(ctx, m.RoomID)
		if err != nil {
			return Meeting{}, nil, fmt.Errorf("meeting.Timeline: %w", err)
		}
		if !r.IsOwner(userID) {
			return Meeting{}, nil, room.ErrNotOwner
		}
	}
	evs, err := s.cfg.Store.Timeline(ctx, id)
	if err != nil {
		return Meeting{}, nil, fmt.Errorf("meeting.Timeline: %w", err)
	}
	return m, evs, nil
}

// AnyCaller reads any meeting's timeline: operators' tools, never an HTTP caller.
const AnyCaller = "\x00operator"
