package meeting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// ErrNotRoomOwner: only the room's owner may end its meetings.
var ErrNotRoomOwner = errors.New("meeting: not the room owner")

// ReasonOwnerEnded is the ended_reason of a meeting its owner ended ("End meeting").
const ReasonOwnerEnded EndReason = "ended by owner"

// Deactivate is the owner's "End meeting": the meeting ends now, whoever is still in it or
// joining, through process-meetings' end path (row lock, ended_reason, provider room deleted
// after commit). Ending a meeting that already ended changes nothing.
func (s *Service) Deactivate(ctx context.Context, userID string, id uuid.UUID) error {
	m, err := s.cfg.Store.MeetingByID(ctx, id)
	if err != nil {
		return fmt.Errorf("meeting.Deactivate: %w", err)
	}
	r, err := s.cfg.Store.RoomByID(ctx, m.RoomID)
	if err != nil {
		return fmt.Errorf("meeting.Deactivate: %w", err)
	}
	if !r.IsOwner(userID) {
		return ErrNotRoomOwner
	}
	if !m.IsActive {
		return nil
	}
	_, err = endMeetings(ctx, s.cfg.Store, s.cfg.Jobs, s.cfg.Log, []End{{ID: id, Reason: ReasonOwnerEnded, Forced: true}}, s.cfg.Now().UTC())
	return err
}

// ender is the store side of ending meetings.
type ender interface {
	MeetingsEnd(ctx context.Context, ends []End, now time.Time) ([]Meeting, error)
}

// endMeetings deactivates meetings (see ProcessStore.MeetingsEnd) and, after commit, queues
// the deletion of their provider rooms: the one end path of process-meetings and of the
// owner's End meeting. A lost queue write is re-queued by process-meetings' sweep.
func endMeetings(ctx context.Context, st ender, jobs Jobs, log *zap.Logger, ends []End, now time.Time) ([]Meeting, error) {
	ended, err := st.MeetingsEnd(ctx, ends, now)
	if err != nil {
		return nil, err
	}
	for _, m := range ended {
		log.Info("meeting deactivated", LogFields(m, zap.Stringp("reason", m.EndedReason))...)
		if err := jobs.DeleteProviderRoom(ctx, m.ID, m.Platform, m.RoomName); err != nil {
			log.Warn("queue provider room delete; the sweep retries", LogFields(m, zap.Error(err))...)
		}
	}
	return ended, nil
}
