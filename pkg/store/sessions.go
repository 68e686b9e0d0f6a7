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

// recount keeps num_clients equal to the open sessions and records that the meeting was
// joined ($2); one statement, so concurrent updates cannot leave it stale. A client's claim
// marks it joined provisionally; presence has the last word (see SessionsSync).
const recount = `UPDATE meeting SET num_clients = (SELECT count(*) FROM participant_session
	WHERE meeting_id = $1 AND left_at IS NULL),
	ever_joined = ever_joined OR $2
	WHERE id = $1`

// SessionOpen implements meeting.Store: see clientSessionOpen.
func (s MeetingStore) SessionOpen(ctx context.Context, m meeting.Meeting, o meeting.SessionOpening) error {
	return clientSessionOpen(ctx, s.q, m, o)
}

// clientSessionOpen opens the session a client reports for its connection, unconfirmed until
// presence shows it. A connection holds one open session: its others are closed (or dropped
// if presence never confirmed them), so invented session ids cannot pile up.
func clientSessionOpen(ctx context.Context, q sqlx.ExtContext, m meeting.Meeting, o meeting.SessionOpening) error {
	open, err := openSessionIDs(ctx, q, m.ID)
	if err != nil {
		return fmt.Errorf("read open sessions: %w", err)
	}
	var gone, closed []string
	if err := sqlx.SelectContext(ctx, q, &gone, `DELETE FROM participant_session WHERE meeting_id = $1 AND connection_id = $2
		AND session_id <> $3 AND left_at IS NULL AND NOT confirmed RETURNING session_id`, m.ID, o.ConnectionID, o.SessionID); err != nil {
		return fmt.Errorf("drop the connection's other sessions: %w", err)
	}
	if err := sqlx.SelectContext(ctx, q, &closed, `UPDATE participant_session SET left_at = $4 WHERE meeting_id = $1 AND connection_id = $2
		AND session_id <> $3 AND left_at IS NULL RETURNING session_id`, m.ID, o.ConnectionID, o.SessionID, o.At); err != nil {
		return fmt.Errorf("close the connection's other sessions: %w", err)
	}
	var uid *string
	actor := meeting.ActorAnonymous
	if o.UserID != "" {
		uid, actor = &o.UserID, o.UserID
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO participant_session (id, meeting_id, room_id, session_id, user_id, user_name,
		joined_at, connection_id, confirmed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false)
		ON CONFLICT (id) DO UPDATE SET left_at = NULL, connection_id = EXCLUDED.connection_id,
		user_id = COALESCE(EXCLUDED.user_id, participant_session.user_id)`,
		m.ID.String()+":"+o.SessionID, m.ID, m.RoomID, o.SessionID, uid, o.UserName, o.At, o.ConnectionID); err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	conn := map[string]any{"connection_id": o.ConnectionID}
	if err := sessionEvents(ctx, q, m.ID, meeting.EventLeft, actor, sourceClient, append(gone, closed...), o.At, conn); err != nil {
		return err
	}
	if !open[o.SessionID] {
		if err := sessionEvents(ctx, q, m.ID, meeting.EventJoined, actor, sourceClient, []string{o.SessionID}, o.At, conn); err != nil {
			return err
		}
	}
	_, err = q.ExecContext(ctx, recount, m.ID, true)
	return err
}

// sessionUpsert records a session presence reports (confirmed).
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
		ON CONFLICT (id) DO UPDATE SET left_at = NULL, confirmed = true,
		user_id = COALESCE(EXCLUDED.user_id, participant_session.user_id)`,
		m.ID.String()+":"+ps.ID, m.ID, m.RoomID, ps.ID, uid, name, ps.JoinedAt)
	if err != nil {
		return fmt.Errorf("upsert session: %w", err)
	}
	return nil
}

// SessionClose closes an open session (locking the meeting first: see lockMeeting).
func (s SessionStore) SessionClose(ctx context.Context, meetingID uuid.UUID, sessionID string, now time.Time) error {
	return s.inTx(ctx, func(b base) error {
		if err := meetingLock(ctx, b.q, meetingID); err != nil {
			return err
		}
		var closed []string
		if err := sqlx.SelectContext(ctx, b.q, &closed, `UPDATE participant_session SET left_at = $3
			WHERE meeting_id = $1 AND session_id = $2 AND left_at IS NULL RETURNING session_id`, meetingID, sessionID, now); err != nil {
			return fmt.Errorf("close session: %w", err)
		}
		if err := sessionEvents(ctx, b.q, meetingID, meeting.EventLeft, sourceClient, sourceClient, closed, now, nil); err != nil {
			return err
		}
		_, err := b.q.ExecContext(ctx, recount, meetingID, false)
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
// num_clients is recomputed, in one transaction that locks the meeting first (lockMeeting).
func (s SessionStore) SessionsSync(ctx context.Context, m meeting.Meeting, present []platform.Session, now time.Time) (int, error) {
	ids := make([]string, len(present))
	for i, p := range present {
		ids[i] = p.ID
	}
	var n int
	err := s.inTx(ctx, func(b base) error {
		if err := meetingLock(ctx, b.q, m.ID); err != nil {
			return err
		}
		open, err := openSessionIDs(ctx, b.q, m.ID)
		if err != nil {
			return fmt.Errorf("read open sessions: %w", err)
		}
		var joined []string
		for _, p := range present {
			if p.JoinedAt.IsZero() {
				p.JoinedAt = now
			}
			if err := sessionUpsert(ctx, b.q, m, p); err != nil {
				return err
			}
			if !open[p.ID] {
				joined = append(joined, p.ID)
			}
		}
		var dropped, closed []string
		if err := sqlx.SelectContext(ctx, b.q, &dropped, `DELETE FROM participant_session
			WHERE meeting_id = $1 AND left_at IS NULL AND NOT confirmed AND NOT (session_id = ANY($2)) RETURNING session_id`,
			m.ID, pq.Array(ids)); err != nil {
			return fmt.Errorf("drop sessions presence never showed: %w", err)
		}
		if err := sqlx.SelectContext(ctx, b.q, &closed, `UPDATE participant_session SET left_at = $3
			WHERE meeting_id = $1 AND left_at IS NULL AND NOT (session_id = ANY($2)) RETURNING session_id`, m.ID, pq.Array(ids), now); err != nil {
			return fmt.Errorf("close absent sessions: %w", err)
		}
		if err := presenceEvents(ctx, b.q, m.ID, joined, dropped, closed, now); err != nil {
			return err
		}
		if _, err := b.q.ExecContext(ctx, recount, m.ID, len(present) > 0); err != nil {
			return err
		}
		if len(dropped) > 0 && len(present) == 0 {
			if err := unjoin(ctx, b.q, m.ID); err != nil {
				return err
			}
		}
		return sqlx.GetContext(ctx, b.q, &n, `SELECT num_clients FROM meeting WHERE id = $1`, m.ID)
	})
	return n, err
}

// unjoin withdraws a meeting's joined mark when it rested only on client claims presence has
// just refuted (no session left): presence, not the client, is the authority on ever_joined.
func unjoin(ctx context.Context, q sqlx.ExecerContext, id uuid.UUID) error {
	_, err := q.ExecContext(ctx, `UPDATE meeting SET ever_joined = false
		WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM participant_session WHERE meeting_id = $1)`, id)
	if err != nil {
		return fmt.Errorf("withdraw joined mark: %w", err)
	}
	return nil
}

// MeetingByID returns a meeting or meeting.ErrNotFound.
func (s SessionStore) MeetingByID(ctx context.Context, id uuid.UUID) (meeting.Meeting, error) {
	return MeetingStore{base: s.base}.MeetingByID(ctx, id)
}

// MeetingsActive implements presence.ReconcileStore: the active meetings with a provider room.
func (s SessionStore) MeetingsActive(ctx context.Context) ([]meeting.Meeting, error) {
	var out []meeting.Meeting
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+meetingCols+` FROM meeting WHERE is_active AND room_name <> ''
		ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("select active meetings: %w", err)
	}
	return out, nil
}
