package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
)

// SessionStore implements meeting.SessionStore and presence.Store: participant sessions and
// the num_clients they imply.
type SessionStore struct{ base }

// NewSessionStore returns the session adapter on db.
func NewSessionStore(db *sqlx.DB) SessionStore { return SessionStore{newBase(db)} }

// recount keeps num_clients equal to the open sessions, and records that the meeting was
// joined; one statement, so concurrent updates cannot leave it stale.
const recount = `UPDATE meeting SET num_clients = (SELECT count(*) FROM participant_session
	WHERE meeting_id = $1 AND left_at IS NULL),
	ever_joined = ever_joined OR EXISTS (SELECT 1 FROM participant_session WHERE meeting_id = $1)
	WHERE id = $1`

// SessionOpen opens a session, reopening it if it had been closed (a participant that
// reappears in presence after being closed).
func (s SessionStore) SessionOpen(ctx context.Context, m meeting.Meeting, sessionID, userID, userName string, now time.Time) error {
	return s.inTx(ctx, func(b base) error {
		if err := sessionUpsert(ctx, b.q, m, platform.Session{ID: sessionID, UserID: userID, UserName: userName, JoinedAt: now}); err != nil {
			return err
		}
		_, err := b.q.ExecContext(ctx, recount, m.ID)
		return err
	})
}

func sessionUpsert(ctx context.Context, q sqlx.ExecerContext, m meeting.Meeting, ps platform.Session) error {
	var uid *string
	if ps.UserID != "" {
		uid = &ps.UserID
	}
	name := ps.UserName
	if name == "" {
		name = "Anonymous"
	}
	_, err := q.ExecContext(ctx, `INSERT INTO participant_session (id, meeting_id, room_id, session_id, user_id, user_name, joined_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET left_at = NULL, user_id = COALESCE(EXCLUDED.user_id, participant_session.user_id)`,
		m.ID.String()+":"+ps.ID, m.ID, m.RoomID, ps.ID, uid, name, ps.JoinedAt)
	if err != nil {
		return fmt.Errorf("upsert session: %w", err)
	}
	return nil
}

// SessionClose closes an open session.
func (s SessionStore) SessionClose(ctx context.Context, meetingID uuid.UUID, sessionID string, now time.Time) error {
	return s.inTx(ctx, func(b base) error {
		if _, err := b.q.ExecContext(ctx, `UPDATE participant_session SET left_at = $3
			WHERE meeting_id = $1 AND session_id = $2 AND left_at IS NULL`, meetingID, sessionID, now); err != nil {
			return fmt.Errorf("close session: %w", err)
		}
		_, err := b.q.ExecContext(ctx, recount, meetingID)
		return err
	})
}

// IntentDelete removes a connection's intent.
func (s SessionStore) IntentDelete(ctx context.Context, meetingID uuid.UUID, connectionID string) error {
	_, err := s.q.ExecContext(ctx, `DELETE FROM join_intent WHERE meeting_id = $1 AND connection_id = $2`, meetingID, connectionID)
	if err != nil {
		return fmt.Errorf("delete intent: %w", err)
	}
	return nil
}

// SessionsSync makes the meeting's sessions match what the provider reports present: present
// sessions are opened (or reopened), open sessions no longer present are closed, and
// num_clients is recomputed, in one transaction.
func (s SessionStore) SessionsSync(ctx context.Context, m meeting.Meeting, present []platform.Session, now time.Time) (int, error) {
	ids := make([]string, len(present))
	for i, p := range present {
		ids[i] = p.ID
	}
	var n int
	err := s.inTx(ctx, func(b base) error {
		for _, p := range present {
			if p.JoinedAt.IsZero() {
				p.JoinedAt = now
			}
			if err := sessionUpsert(ctx, b.q, m, p); err != nil {
				return err
			}
		}
		if _, err := b.q.ExecContext(ctx, `UPDATE participant_session SET left_at = $3
			WHERE meeting_id = $1 AND left_at IS NULL AND NOT (session_id = ANY($2))`, m.ID, pq.Array(ids), now); err != nil {
			return fmt.Errorf("close absent sessions: %w", err)
		}
		if _, err := b.q.ExecContext(ctx, recount, m.ID); err != nil {
			return err
		}
		return sqlx.GetContext(ctx, b.q, &n, `SELECT num_clients FROM meeting WHERE id = $1`, m.ID)
	})
	return n, err
}

// MeetingByID returns a meeting or meeting.ErrNotFound.
func (s SessionStore) MeetingByID(ctx context.Context, id uuid.UUID) (meeting.Meeting, error) {
	return MeetingStore(s).MeetingByID(ctx, id)
}
