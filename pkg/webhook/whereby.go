package webhook

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

// roleRecorder is the role of Whereby's cloud recorder: its joining means recording started.
const roleRecorder = "recorder"

// maxNumClients bounds a Whereby count: anything above is not a real room (and would overflow
// the column, failing the event forever).
const maxNumClients = 100_000

// wherebyEffect: room.client.joined/left carry the absolute participant count after the event
// (numClients), applied unless a later count is already in. Other events are stored only
// (recordings arrive through S3 notifications).
func (s *Service) wherebyEffect(ctx context.Context, ev Event, we whereby.Event) (effect, error) {
	p, ok := we.Data.(*whereby.ClientPayload)
	if !ok || (we.Type != whereby.EventClientJoined && we.Type != whereby.EventClientLeft) {
		return effect{note: "stored only: " + we.Type}, nil
	}
	if p.NumClients < 0 || p.NumClients > maxNumClients {
		return effect{note: "implausible numClients ignored"}, nil // retrying cannot fix it
	}
	if !storable(p.RoomName) || !storable(p.MeetingID) {
		return effect{note: "room name or meeting id not storable"}, nil
	}
	m, err := s.cfg.Store.MeetingByProviderRoom(ctx, platform.Whereby, p.RoomName, p.MeetingID)
	if errors.Is(err, ErrMeetingNotFound) {
		return effect{note: "no meeting for room " + p.RoomName}, nil
	}
	if err != nil {
		return effect{}, err
	}
	at := eventTime(ev)
	eff := effect{meeting: m.ID, inTx: func(ctx context.Context, tx Store) error {
		applied, err := tx.MeetingSetNumClients(ctx, m.ID, p.NumClients, at)
		if err == nil && !applied {
			s.cfg.Log.Debug("older whereby count ignored", zap.Stringer("meeting_id", m.ID), zap.Time("event_at", at))
		}
		return err
	}}
	if p.RoleName == roleRecorder && we.Type == whereby.EventClientJoined {
		eff.outside = s.recordingStarted(platform.Whereby, p.RoomName, at).outside
	}
	return eff, nil
}
