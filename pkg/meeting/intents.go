package meeting

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// SessionStore is the participant-session persistence the join protocol needs.
type SessionStore interface {
	// SessionClose closes a participant session and recomputes num_clients.
	SessionClose(ctx context.Context, meetingID uuid.UUID, sessionID string, now time.Time) error
	// IntentDelete removes a connection's intent.
	IntentDelete(ctx context.Context, meetingID uuid.UUID, connectionID string) error
}

// Joining refreshes a connection's intent while the client is in the handshake. A meeting
// that ended meanwhile answers a *GoneError naming the room's current meeting.
func (s *Service) Joining(ctx context.Context, roomName string, id uuid.UUID, userID, connID string) error {
	if connID == "" {
		return ErrBadConnectionID
	}
	_, err := s.Join(ctx, roomName, id, userID, connID)
	return err
}

// Joined marks a connection as in the call: its intent is kept for the presence-lag window
// (until the provider's presence can show it), the participant session is opened when the
// client knows its provider session id, and a presence poll is queued.
func (s *Service) Joined(ctx context.Context, roomName string, id uuid.UUID, userID, connID, sessionID, userName string) error {
	if connID == "" {
		return ErrBadConnectionID
	}
	now := s.cfg.Now().UTC()
	in, err := s.intent(userID, connID, now)
	if err != nil {
		return err
	}
	in.MeetingID, in.State, in.ExpiresAt = id, IntentConnected, now.Add(s.cfg.PresenceLag)
	if userName == "" {
		userName = "Anonymous"
	}
	open := SessionOpening{ConnectionID: connID, SessionID: sessionID, UserID: userID, UserName: userName, At: now}
	var gone func() error
	var m Meeting
	// One transaction: a /joined that fails half-way leaves neither intent nor session. It may
	// run again (inTxRetry), so it starts by forgetting what an aborted attempt saw.
	err = s.inTxRetry(ctx, func(tx Store) error {
		gone, m = nil, Meeting{}
		if sessionID != "" { // the session recount writes the meeting row: lock it first
			if err := tx.MeetingLock(ctx, id); err != nil {
				return err
			}
		}
		r, joined, ok, err := tx.MeetingJoinByID(ctx, roomName, id, in, now)
		if err != nil {
			return err
		}
		m = joined
		if !ok {
			gone = func() error { return s.gone(ctx, r, joined, now) }
			return nil
		}
		if sessionID == "" {
			return nil
		}
		return tx.SessionOpen(ctx, joined, open)
	})
	if err != nil {
		return fmt.Errorf("meeting.Joined %s: %w", id, err)
	}
	if gone != nil {
		return gone()
	}
	s.cfg.Log.Info("participant joined", LogFields(m, zap.String("connection_id", connID), zap.String("session_id", sessionID))...)
	s.pollLater(ctx, m, s.cfg.JoinedPollDelay)
	return nil
}

// SessionOpening is the participant session a client reports from /joined: a claim that
// presence confirms or drops.
type SessionOpening struct {
	ConnectionID, SessionID, UserID, UserName string
	At                                        time.Time
}

// Leave ends a connection's intent and its participant session, and queues a presence poll
// after delay so the provider's view settles the count.
func (s *Service) Leave(ctx context.Context, roomName string, id uuid.UUID, connID, sessionID string, delay time.Duration) error {
	_, m, err := s.get(ctx, roomName, id)
	if err != nil {
		return err
	}
	if connID != "" {
		if err := s.cfg.Sessions.IntentDelete(ctx, m.ID, connID); err != nil {
			return fmt.Errorf("meeting.Leave %s: %w", id, err)
		}
	}
	if sessionID != "" {
		if err := s.cfg.Sessions.SessionClose(ctx, m.ID, sessionID, s.cfg.Now().UTC()); err != nil {
			return fmt.Errorf("meeting.Leave %s: %w", id, err)
		}
	}
	s.cfg.Log.Info("participant left", LogFields(m, zap.String("connection_id", connID), zap.String("session_id", sessionID))...)
	s.pollLater(ctx, m, delay)
	return nil
}

func (s *Service) pollLater(ctx context.Context, m Meeting, delay time.Duration) {
	if err := s.cfg.Jobs.PollPresence(ctx, m.ID, delay); err != nil {
		// presence:reconcile reads every active Daily meeting anyway.
		s.cfg.Log.Warn("queue presence poll", LogFields(m, zap.Error(err))...)
	}
}
