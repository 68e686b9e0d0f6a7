package meeting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
)

// Store is the persistence the meeting service needs.
type Store interface {
	InTx(ctx context.Context, fn func(tx Store) error) error
	// MeetingForJoin returns the room named roomName and, if it has a joinable ad-hoc meeting,
	// that meeting with intent registered for it and ev (its MeetingID aside) appended to its
	// timeline, in one statement holding a share lock on the meeting row (so a concurrent
	// deactivation either sees the intent or is seen).
	MeetingForJoin(ctx context.Context, roomName string, in Intent, ev Event, now time.Time) (room.Room, *Meeting, error)
	// MeetingJoinByID does the same for a chosen meeting; registered is false when the
	// meeting is not joinable (and then no intent was written).
	MeetingJoinByID(ctx context.Context, roomName string, id uuid.UUID, in Intent, now time.Time) (room.Room, Meeting, bool, error)
	RoomLockByName(ctx context.Context, name string) (room.Room, error)
	RoomByName(ctx context.Context, name string) (room.Room, error)
	MeetingActiveAdhoc(ctx context.Context, roomID uuid.UUID) (*Meeting, error)
	// MeetingAdhocNextSeq returns the ordinal (Meeting.AdhocSeq) the room's next ad-hoc meeting
	// takes, and whether the room has a joinable ad-hoc meeting at now, from one snapshot.
	MeetingAdhocNextSeq(ctx context.Context, roomID uuid.UUID, now time.Time) (next int64, joinable bool, err error)
	MeetingInsert(ctx context.Context, m Meeting) error
	MeetingByID(ctx context.Context, id uuid.UUID) (Meeting, error)
	MeetingsActiveForRoom(ctx context.Context, roomID uuid.UUID, now time.Time) ([]Meeting, error)
	MeetingEnd(ctx context.Context, id uuid.UUID, reason EndReason, now time.Time) (bool, error)
	// MeetingsEnd is ProcessStore.MeetingsEnd: the end path shared with process-meetings.
	MeetingsEnd(ctx context.Context, ends []End, now time.Time) ([]Meeting, error)
	RoomByID(ctx context.Context, id uuid.UUID) (room.Room, error)
	IntentUpsert(ctx context.Context, in Intent) error
	// MeetingLock locks a meeting row for an update. A transaction that writes the meeting's
	// sessions takes it first, before any other row: the one lock order of those writers.
	MeetingLock(ctx context.Context, id uuid.UUID) error
	// SessionOpen opens the session a client reports for its connection (see SessionOpening).
	SessionOpen(ctx context.Context, m Meeting, o SessionOpening) error
	ConsentUpsert(ctx context.Context, meetingID uuid.UUID, userID string, given bool, now time.Time) (uuid.UUID, error)
	// TimelineAppend appends to meeting timelines; inside InTx, in that transaction.
	TimelineAppend(ctx context.Context, evs ...Event) error
	Timeline(ctx context.Context, id uuid.UUID) ([]Event, error)
}

// Platforms finds the provider client of a platform.
type Platforms interface {
	Get(name string) (platform.Client, error)
}

// Jobs are the follow-ups the service queues after commit.
type Jobs interface {
	DeleteProviderRoom(ctx context.Context, meetingID uuid.UUID, platform, roomName string) error
	PollPresence(ctx context.Context, meetingID uuid.UUID, delay time.Duration) error
}

// Config wires the meeting service.
type Config struct {
	Store     Store
	Sessions  SessionStore
	Platforms Platforms
	Jobs      Jobs
	Log       *zap.Logger
	Now       func() time.Time
	// MeetingDuration is the life of an ad-hoc meeting (the original's 8 h).
	MeetingDuration time.Duration
	// IntentTTL bounds an intent whose client never connects.
	IntentTTL time.Duration
	// PresenceLag keeps a connected intent alive until presence can show the participant.
	PresenceLag time.Duration
	// JoinedPollDelay is the countdown of the presence poll queued by /joined.
	JoinedPollDelay time.Duration
	// CreateLimiter, when set, limits provider-room creations per room name (a room whose
	// meetings keep being made is refused with ErrTooManyCreates).
	CreateLimiter interface {
		Allow(key string) (bool, error)
	}
	// MaxExtraMeetings caps a room's active extra meetings (default 5).
	MaxExtraMeetings int
	// RoomMargin is the age past which the orphan sweep may delete a provider room no meeting
	// names (PROVIDER_ROOM_SWEEP_MARGIN); creators stop handing out a provider room at half
	// of it. The same value must reach the API and the worker.
	RoomMargin time.Duration
	// Safeguards off turns intents and the room lock off: only for the simulation's proof
	// that the safeguards matter. Never off in production.
	SafeguardsOff bool
	// Observer records creations, handouts and ends (nil: none).
	Observer Observer
	// Policy picks the platform of each new meeting (the DAILY_MIGRATION_* flags); its zero
	// value keeps every room's stored platform.
	Policy platform.Policy
}

// DefaultRoomMargin is RoomMargin's default.
const DefaultRoomMargin = 20 * time.Minute

// Service is the meeting lifecycle.
type Service struct {
	cfg     Config
	flights *flights
}

// NewService returns the lifecycle service with defaults filled in.
func NewService(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Observer == nil {
		cfg.Observer = noObserver{}
	}
	def(&cfg.MeetingDuration, 8*time.Hour)
	def(&cfg.IntentTTL, 30*time.Second)
	def(&cfg.PresenceLag, 20*time.Second)
	def(&cfg.JoinedPollDelay, 3*time.Second)
	if cfg.MaxExtraMeetings <= 0 {
		cfg.MaxExtraMeetings = 5
	}
	def(&cfg.RoomMargin, DefaultRoomMargin)
	return &Service{cfg: cfg, flights: &flights{}}
}

func def(d *time.Duration, v time.Duration) {
	if *d == 0 {
		*d = v
	}
}

// Handout is a meeting handed to a client, with the intent registered for its connection.
type Handout struct {
	Room         room.Room
	Meeting      Meeting
	ConnectionID string
}

// GetOrCreate hands out the room's active ad-hoc meeting, creating it (and its provider room)
// if there is none; allowDuplicated always creates an extra meeting. The caller's join intent
// is registered in the transaction that hands the meeting out.
func (s *Service) GetOrCreate(ctx context.Context, roomName, userID, connID string, allowDuplicated bool) (Handout, error) {
	now := s.cfg.Now().UTC()
	in, err := s.intent(userID, connID, now)
	if err != nil {
		return Handout{}, err
	}
	if allowDuplicated {
		h, err := s.createExtra(ctx, roomName, in, now)
		if err != nil {
			return Handout{}, fmt.Errorf("meeting.GetOrCreate %q: %w", roomName, err)
		}
		return visible(h, userID), nil
	}
	path := "existing" // "created" once this request went through the creation path
	for range maxCreateAttempts {
		r, m, err := s.joinExisting(ctx, roomName, in, path, now)
		if err != nil {
			return Handout{}, fmt.Errorf("meeting.GetOrCreate %q: %w", roomName, err)
		}
		if m != nil {
			s.cfg.Observer.Handout(path == "created")
			s.cfg.Log.Debug("meeting handed out", LogFields(*m, zap.String("connection_id", in.ConnectionID), zap.String("path", path))...)
			return visible(Handout{Room: r, Meeting: *m, ConnectionID: in.ConnectionID}, userID), nil
		}
		if err := s.ensureAdhoc(ctx, r, actor(in.UserID)); err != nil {
			return Handout{}, fmt.Errorf("meeting.GetOrCreate %q: %w", roomName, err)
		}
		path = "created"
	}
	return Handout{}, fmt.Errorf("meeting.GetOrCreate %q: %w", roomName, ErrCreateInProgress)
}

// joinExisting is the handout of GetOrCreate: the room's joinable meeting with the intent
// registered and the handout (by path) on its timeline, in one statement.
func (s *Service) joinExisting(ctx context.Context, roomName string, in Intent, path string, now time.Time) (room.Room, *Meeting, error) {
	return s.cfg.Store.MeetingForJoin(ctx, roomName, in, handoutEvent(uuid.Nil, in, path, now), now)
}

// endExpired closes the room's meeting found past its end date by a joiner (who).
func (s *Service) endExpired(ctx context.Context, tx Store, m Meeting, who string, now time.Time) error {
	ended, err := tx.MeetingEnd(ctx, m.ID, EndReplaced, now)
	if err != nil || !ended {
		return err
	}
	return tx.TimelineAppend(ctx, NewEvent(m.ID, now, EventEnded, who,
		map[string]any{"reason": EndReplaced, "end_date": m.EndDate}))
}

// createdEvents are the timeline lines of a new meeting: who made it by which path, and the
// provider room made for it.
func createdEvents(m Meeting, who, path string, now time.Time) []Event {
	return []Event{
		NewEvent(m.ID, now, EventCreated, who, map[string]any{"path": path, "kind": m.Kind, "platform": m.Platform,
			"room_id": m.RoomID, "end_date": m.EndDate}),
		NewEvent(m.ID, now, EventProviderRoomCreated, who, map[string]any{"platform": m.Platform, "room_name": m.RoomName,
			"provider_meeting_id": m.ProviderMeetingID}),
	}
}

// handoutEvent is the timeline line of a meeting handed to a connection.
func handoutEvent(id uuid.UUID, in Intent, path string, now time.Time) Event {
	return NewEvent(id, now, EventHandout, actor(in.UserID), map[string]any{"connection_id": in.ConnectionID, "path": path})
}

// lockRoom takes the room row lock (none with the safeguards off).
func (s *Service) lockRoom(ctx context.Context, tx Store, name string) (room.Room, error) {
	if s.cfg.SafeguardsOff {
		return tx.RoomByName(ctx, name)
	}
	return tx.RoomLockByName(ctx, name)
}

// newMeeting is a new meeting of r with the room's settings of now (no provider room yet).
func (s *Service) newMeeting(r room.Room, kind string, now time.Time) Meeting {
	return Meeting{
		ID: uuid.New(), RoomID: r.ID, Kind: kind, Platform: s.platformFor(r), StartDate: now,
		EndDate: now.Add(s.cfg.MeetingDuration), IsLocked: r.IsLocked, RoomMode: r.RoomMode,
		RecordingType: r.RecordingType, RecordingTrigger: r.RecordingTrigger, IsActive: true, CreatedAt: now,
	}
}

// provision creates (or adopts) the provider room of m; key names it deterministically.
func (s *Service) provision(ctx context.Context, r room.Room, m *Meeting, key string) error {
	c, err := s.cfg.Platforms.Get(m.Platform)
	if err != nil {
		return err
	}
	pm, err := c.CreateMeeting(ctx, platform.CreateRequest{
		MeetingID: key,
		Room: platform.RoomSettings{Name: r.Name, IsLocked: r.IsLocked, RoomMode: r.RoomMode,
			RecordingType: r.RecordingType, RecordingTrigger: r.RecordingTrigger},
		EndDate: m.EndDate,
	})
	if err != nil {
		return errors.Join(ErrProviderFailed, err)
	}
	m.ProviderMeetingID, m.RoomName, m.RoomURL, m.HostRoomURL = pm.ProviderID, pm.RoomName, pm.RoomURL, pm.HostRoomURL
	return nil
}

func (s *Service) deleteRoomLater(ctx context.Context, m Meeting) {
	if err := s.cfg.Jobs.DeleteProviderRoom(ctx, m.ID, m.Platform, m.RoomName); err != nil {
		// The periodic sweep re-queues deletes of ended meetings a crash or outage lost.
		s.cfg.Log.Warn("queue provider room delete", LogFields(m, zap.Error(err))...)
	}
}

// intent builds a joining intent for a connection ("" gets a generated id).
func (s *Service) intent(userID, connID string, now time.Time) (Intent, error) {
	if connID == "" {
		connID = uuid.NewString()
	}
	if len(connID) > 128 {
		return Intent{}, ErrBadConnectionID
	}
	in := Intent{ConnectionID: connID, State: IntentJoining, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(s.cfg.IntentTTL)}
	if userID != "" {
		in.UserID = &userID
	}
	return in, nil
}
