package meeting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
)

// Join hands out a chosen meeting of a room, registering the caller's intent in the same
// statement. A meeting that is no longer joinable answers a *GoneError naming the room's
// current active meeting.
func (s *Service) Join(ctx context.Context, roomName string, id uuid.UUID, userID, connID string) (Handout, error) {
	now := s.cfg.Now().UTC()
	in, err := s.intent(userID, connID, now)
	if err != nil {
		return Handout{}, err
	}
	in.MeetingID = id
	var r room.Room
	var m Meeting
	var ok bool
	err = s.inTxRetry(ctx, func(tx Store) error { // every output is set afresh by each attempt
		if r, m, ok, err = tx.MeetingJoinByID(ctx, roomName, id, in, now); err != nil || !ok {
			return err
		}
		return tx.TimelineAppend(ctx, handoutEvent(id, in, "join", now))
	})
	if err != nil {
		return Handout{}, fmt.Errorf("meeting.Join %s: %w", id, err)
	}
	if !ok {
		return Handout{}, s.gone(ctx, r, m, now)
	}
	return visible(Handout{Room: r, Meeting: m, ConnectionID: in.ConnectionID}, userID), nil
}

// gone builds the error for a meeting that cannot be joined.
func (s *Service) gone(ctx context.Context, r room.Room, m Meeting, now time.Time) error {
	reason := ErrNotActive
	if m.IsActive {
		reason = ErrEnded
	}
	g := &GoneError{Reason: reason, RoomName: r.Name}
	active, err := s.cfg.Store.MeetingsActiveForRoom(ctx, r.ID, now)
	if err != nil {
		return fmt.Errorf("meeting.Join: %w", err)
	}
	for _, a := range active {
		if a.Kind == KindAdhoc || g.ActiveID == nil {
			id := a.ID
			g.ActiveID = &id
		}
	}
	return g
}

// Get returns one meeting of a room, active or not, as userID may see it. (The original shows
// a shared room's host URL to anyone here; a host key is a secret, so not here.)
func (s *Service) Get(ctx context.Context, roomName string, id uuid.UUID, userID string) (room.Room, Meeting, error) {
	r, m, err := s.get(ctx, roomName, id)
	if err != nil {
		return r, m, err
	}
	return r, Visible(r, m, userID), nil
}

func (s *Service) get(ctx context.Context, roomName string, id uuid.UUID) (room.Room, Meeting, error) {
	r, err := s.cfg.Store.RoomByName(ctx, roomName)
	if err != nil {
		return room.Room{}, Meeting{}, fmt.Errorf("meeting.Get: %w", err)
	}
	m, err := s.cfg.Store.MeetingByID(ctx, id)
	if err != nil { // ErrNotFound stays one; a database failure must not read as a 404
		return room.Room{}, Meeting{}, fmt.Errorf("meeting.Get %s: %w", id, err)
	}
	if m.RoomID != r.ID {
		return room.Room{}, Meeting{}, ErrNotFound
	}
	return r, m, nil
}

// Active lists the room's joinable meetings, latest end first, as userID may see them.
func (s *Service) Active(ctx context.Context, roomName, userID string) (room.Room, []Meeting, error) {
	r, err := s.cfg.Store.RoomByName(ctx, roomName)
	if err != nil {
		return room.Room{}, nil, fmt.Errorf("meeting.Active: %w", err)
	}
	ms, err := s.cfg.Store.MeetingsActiveForRoom(ctx, r.ID, s.cfg.Now().UTC())
	if err != nil {
		return room.Room{}, nil, fmt.Errorf("meeting.Active: %w", err)
	}
	for i := range ms {
		ms[i] = Visible(r, ms[i], userID)
	}
	return r, ms, nil
}

// Consent records a participant's recording consent for a meeting.
func (s *Service) Consent(ctx context.Context, meetingID uuid.UUID, userID string, given bool) (uuid.UUID, error) {
	if _, err := s.cfg.Store.MeetingByID(ctx, meetingID); err != nil {
		return uuid.Nil, fmt.Errorf("meeting.Consent: %w", err)
	}
	id, err := s.cfg.Store.ConsentUpsert(ctx, meetingID, userID, given, s.cfg.Now().UTC())
	if err != nil {
		return uuid.Nil, fmt.Errorf("meeting.Consent: %w", err)
	}
	return id, nil
}

// Token mints a provider meeting token for a logged-in user where the provider has them
// (Daily), as the original's /join does; "" when there is none to mint.
func (s *Service) Token(ctx context.Context, r room.Room, m Meeting, userID string) (string, error) {
	if userID == "" {
		return "", nil
	}
	c, err := s.cfg.Platforms.Get(m.Platform)
	if err != nil {
		return "", err
	}
	ti, ok := c.(platform.TokenIssuer)
	if !ok {
		return "", nil
	}
	tok, err := ti.MeetingToken(ctx, platform.TokenRequest{
		RoomName: m.RoomName, UserID: userID, IsOwner: r.IsOwner(userID),
		EnableRecordingUI:   m.RecordingType == "local" || (m.RecordingType == "cloud" && r.SkipConsent),
		StartCloudRecording: autoRecords(m),
	})
	if err != nil {
		return "", errors.Join(ErrProviderFailed, err)
	}
	return tok, nil
}
