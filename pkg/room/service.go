package room

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Store is the persistence the room service needs.
type Store interface {
	RoomInsert(ctx context.Context, r Room) error
	RoomByID(ctx context.Context, id uuid.UUID) (Room, error)
	RoomByName(ctx context.Context, name string) (Room, error)
	RoomsVisible(ctx context.Context, userID string, limit, offset int) ([]Room, int, error)
	RoomUpdate(ctx context.Context, r Room) error
	RoomDelete(ctx context.Context, id uuid.UUID) error
}

// Config wires the room service.
type Config struct {
	Store Store
	// Platforms are the registered platform names a room may use.
	Platforms []string
	// PlatformFor picks the platform of a new room (the selection policy).
	PlatformFor func(roomID uuid.UUID) string
	Now         func() time.Time
}

// Service manages rooms.
type Service struct{ cfg Config }

// NewService returns a room service.
func NewService(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

// Page is one page of rooms.
type Page struct {
	Items []Room
	Total int
	Page  int
	Size  int
}

// Create makes a room owned by userID.
func (s *Service) Create(ctx context.Context, userID string, in Input) (Room, error) {
	id := uuid.New()
	r, err := in.build(userID, s.cfg.PlatformFor(id), s.cfg.Platforms)
	if err != nil {
		return Room{}, err
	}
	r.ID, r.CreatedAt = id, s.cfg.Now().UTC()
	if err := s.cfg.Store.RoomInsert(ctx, r); err != nil {
		return Room{}, fmt.Errorf("room.Create %q: %w", r.Name, err)
	}
	return r, nil
}

// Get returns a room by id if userID may read it.
func (s *Service) Get(ctx context.Context, userID string, id uuid.UUID) (Room, error) {
	r, err := s.cfg.Store.RoomByID(ctx, id)
	if err != nil {
		return Room{}, fmt.Errorf("room.Get %s: %w", id, err)
	}
	if !r.CanRead(userID) {
		return Room{}, ErrAccessDenied
	}
	return r.Redacted(userID), nil
}

// GetByName returns a room by name, redacted for non-owners (rooms are public by name, as
// the web app's room page needs).
func (s *Service) GetByName(ctx context.Context, userID, name string) (Room, error) {
	r, err := s.cfg.Store.RoomByName(ctx, name)
	if err != nil {
		return Room{}, fmt.Errorf("room.GetByName %q: %w", name, err)
	}
	return r.Redacted(userID), nil
}

// List pages through the rooms userID owns plus every shared room, newest first. Secrets of
// rooms the caller does not own are never returned.
func (s *Service) List(ctx context.Context, userID string, page, size int) (Page, error) {
	items, total, err := s.cfg.Store.RoomsVisible(ctx, userID, size, (page-1)*size)
	if err != nil {
		return Page{}, fmt.Errorf("room.List: %w", err)
	}
	for i := range items {
		items[i] = items[i].Redacted(userID)
	}
	return Page{Items: items, Total: total, Page: page, Size: size}, nil
}

// Update applies a patch to a room userID owns.
func (s *Service) Update(ctx context.Context, userID string, id uuid.UUID, p Patch) (Room, error) {
	r, err := s.owned(ctx, userID, id)
	if err != nil {
		return Room{}, err
	}
	if r, err = p.apply(r, s.cfg.Platforms); err != nil {
		return Room{}, err
	}
	if err := s.cfg.Store.RoomUpdate(ctx, r); err != nil {
		return Room{}, fmt.Errorf("room.Update %s: %w", id, err)
	}
	return r, nil
}

// Delete removes a room userID owns, with its meetings and calendar events.
func (s *Service) Delete(ctx context.Context, userID string, id uuid.UUID) error {
	if _, err := s.owned(ctx, userID, id); err != nil {
		return err
	}
	if err := s.cfg.Store.RoomDelete(ctx, id); err != nil {
		return fmt.Errorf("room.Delete %s: %w", id, err)
	}
	return nil
}

func (s *Service) owned(ctx context.Context, userID string, id uuid.UUID) (Room, error) {
	r, err := s.cfg.Store.RoomByID(ctx, id)
	if err != nil {
		return Room{}, fmt.Errorf("room %s: %w", id, err)
	}
	if !r.IsOwner(userID) {
		return Room{}, ErrNotOwner
	}
	return r, nil
}

// IsValidation reports whether err is a validation failure of room input.
func IsValidation(err error) bool {
	var v *ValidationError
	return errors.As(err, &v)
}
