package webhook

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
)

// maxNumClients bounds a participant count: anything above is not a real room (and would overflow
// the column, failing the event forever).
const maxNumClients = 100_000

// countEffect applies an absolute participant count (Whereby's numClients after a client
// joined or left) unless a count from a later moment is already in. A recording start the
// event also reports (Whereby's recorder joining) is handed over outside the transaction.
func (s *Service) countEffect(ctx context.Context, ev Event, we platform.WebhookEvent) (effect, error) {
	p := we.Count
	if p.N < 0 || p.N > maxNumClients {
		return effect{note: "implausible numClients ignored"}, nil // retrying cannot fix it
	}
	if !storable(p.Room.RoomName) || !storable(p.Room.MeetingID) {
		return effect{note: "room name or meeting id not storable"}, nil
	}
	m, err := s.cfg.Store.MeetingByProviderRoom(ctx, ev.Provider, p.Room.RoomName, p.Room.MeetingID)
	if errors.Is(err, ErrMeetingNotFound) {
		return effect{note: "no meeting for room " + p.Room.RoomName}, nil
	}
	if err != nil {
		return effect{}, err
	}
	at := eventTime(ev)
	eff := effect{meeting: m.ID, inTx: func(ctx context.Context, tx Store) error {
		applied, err := tx.MeetingSetNumClients(ctx, m.ID, p.N, at)
		if err == nil && !applied {
			s.cfg.Log.Debug("older participant count ignored", zap.String("provider", ev.Provider), zap.Stringer("meeting_id", m.ID), zap.Time("event_at", at))
		}
		return err
	}}
	if r := we.RecordingStarted; r != nil {
		eff.outside = s.recordingStarted(ev.Provider, r.RoomName, startedAt(ev, r)).outside
	}
	return eff, nil
}
