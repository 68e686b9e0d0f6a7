package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// Lock order: a transaction that writes a meeting's participant sessions (and so recounts
// the meeting row) locks the meeting row first, FOR NO KEY UPDATE, before any session or
// intent row. /joined, presence sync and a session close used to lock sessions first or
// upgrade a share lock, and two of them deadlocked. NO KEY UPDATE leaves the foreign-key
// checks of timeline and intent inserts free.
const lockMeeting = `SELECT 1 FROM meeting WHERE id = $1 FOR NO KEY UPDATE`

// MeetingLock implements meeting.Store: see lockMeeting.
func (s MeetingStore) MeetingLock(ctx context.Context, id uuid.UUID) error {
	return meetingLock(ctx, s.q, id)
}

func meetingLock(ctx context.Context, q sqlx.ExecerContext, id uuid.UUID) error {
	if _, err := q.ExecContext(ctx, lockMeeting, id); err != nil {
		return fmt.Errorf("lock meeting %s: %w", id, err)
	}
	return nil
}

// Postgres aborts one transaction of a deadlock (40P01) or a serialization conflict (40001);
// the transaction wrote nothing and may succeed if run again.
const (
	pgDeadlock      = "40P01"
	pgSerialization = "40001"
)

// Conflict reports whether err is a transaction Postgres aborted to break a deadlock or a
// serialization conflict: a temporary condition (HTTP 503), not a bug.
func Conflict(err error) bool {
	c := pgCode(err)
	return c == pgDeadlock || c == pgSerialization
}

// conflictErr marks an aborted transaction as meeting.ErrConflict, which the meeting service
// retries where its transaction is safe to run again.
func conflictErr(err error) error {
	if Conflict(err) {
		return fmt.Errorf("%w: %w", meeting.ErrConflict, err)
	}
	return err
}
