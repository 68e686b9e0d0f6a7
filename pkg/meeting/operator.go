package meeting

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// ReasonOperatorEnded is the ended_reason of a meeting an operator ended (reflectorctl).
const ReasonOperatorEnded EndReason = "ended by operator"

// EndByOperator ends a meeting now, whoever is in it, through the one end path (row lock,
// ended_reason, the timeline's ended row, the provider room delete queued after commit).
// ended is false when the meeting had already ended; m is then the meeting as it is.
func (s *Service) EndByOperator(ctx context.Context, id uuid.UUID) (m Meeting, ended bool, err error) {
	if m, err = s.cfg.Store.MeetingByID(ctx, id); err != nil || !m.IsActive {
		return m, false, wrapOp("meeting.EndByOperator", err)
	}
	done, err := endMeetings(ctx, s.cfg.Store, s.cfg.Jobs, s.cfg.Log,
		[]End{{ID: id, Reason: ReasonOperatorEnded, Forced: true}}, s.cfg.Now().UTC())
	if err != nil {
		return m, false, fmt.Errorf("meeting.EndByOperator: %w", err)
	}
	if len(done) == 0 { // ended meanwhile by another path
		m, err = s.cfg.Store.MeetingByID(ctx, id)
		return m, false, wrapOp("meeting.EndByOperator", err)
	}
	s.cfg.Observer.MeetingEnded(string(ReasonOperatorEnded))
	return done[0], true, nil
}

// wrapOp adds the operation to a non-nil error.
func wrapOp(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}
