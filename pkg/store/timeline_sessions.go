package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// Sources of joined and left timeline rows.
const (
	sourceClient   = "client"   // /joined, /leave
	sourcePresence = "presence" // a provider presence read (presence:poll, presence:reconcile)
)

// sessionEvents appends one joined or left row per session, on q: in the transaction of the
// change they record.
func sessionEvents(ctx context.Context, q sqlx.ExtContext, meetingID uuid.UUID, kind, actor, source string,
	sessionIDs []string, at time.Time, extra map[string]any) error {
	evs := make([]meeting.Event, 0, len(sessionIDs))
	for _, id := range sessionIDs {
		detail := map[string]any{"session_id": id, "source": source}
		for k, v := range extra {
			detail[k] = v
		}
		evs = append(evs, meeting.NewEvent(meetingID, at, kind, actor, detail))
	}
	return base{q: q}.TimelineAppend(ctx, evs...)
}

// openSessionIDs lists the meeting's open sessions.
func openSessionIDs(ctx context.Context, q sqlx.QueryerContext, meetingID uuid.UUID) (map[string]bool, error) {
	var ids []string
	if err := sqlx.SelectContext(ctx, q, &ids, `SELECT session_id FROM participant_session
		WHERE meeting_id = $1 AND left_at IS NULL`, meetingID); err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// presenceEvents records what a presence read changed: sessions it showed for the first time,
// client claims it refuted (dropped) and sessions no longer present.
func presenceEvents(ctx context.Context, q sqlx.ExtContext, id uuid.UUID, joined, dropped, closed []string, at time.Time) error {
	if err := sessionEvents(ctx, q, id, meeting.EventJoined, sourcePresence, sourcePresence, joined, at, nil); err != nil {
		return err
	}
	if err := sessionEvents(ctx, q, id, meeting.EventLeft, sourcePresence, sourcePresence, dropped, at,
		map[string]any{"claim_refuted": true}); err != nil {
		return err
	}
	return sessionEvents(ctx, q, id, meeting.EventLeft, sourcePresence, sourcePresence, closed, at, nil)
}
