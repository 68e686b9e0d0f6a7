package calendar

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// syncPlan is the set of writes that brings a room's stored events in step with its feed.
type syncPlan struct {
	upserts []CalendarEvent
	deletes []uuid.UUID
	created int
	updated int
}

// planSync compares the stored events with the feed's. New events are created; changed or
// previously deleted ones are rewritten (a deleted event that comes back is revived, unlike
// the original); unchanged ones are not touched. Stored events missing from the feed are
// soft-deleted if they start at or after since (the window's start): older ones are history.
func planSync(existing []CalendarEvent, feed []Event, roomID uuid.UUID, since time.Time, newID func() uuid.UUID) syncPlan {
	byKey := make(map[key]CalendarEvent, len(existing))
	for _, e := range existing {
		byKey[e.key()] = e
	}
	inFeed := make(map[key]bool, len(feed))
	var p syncPlan
	for _, ev := range feed {
		inFeed[ev.key()] = true
		old, ok := byKey[ev.key()]
		switch {
		case !ok:
			p.upserts = append(p.upserts, CalendarEvent{Event: ev, ID: newID(), RoomID: roomID})
			p.created++
		case old.IsDeleted || !old.sameContent(ev):
			p.upserts = append(p.upserts, CalendarEvent{Event: ev, ID: old.ID, RoomID: roomID})
			p.updated++
		}
	}
	for _, old := range existing {
		if !old.IsDeleted && !inFeed[old.key()] && !old.Start.Before(since) {
			p.deletes = append(p.deletes, old.ID)
		}
	}
	return p
}

// write applies the plan; an empty plan writes nothing.
func (p syncPlan) write(ctx context.Context, tx Store, roomID uuid.UUID, now time.Time) error {
	if len(p.upserts) > 0 {
		if err := tx.CalendarEventsUpsert(ctx, roomID, p.upserts, now); err != nil {
			return err
		}
	}
	if len(p.deletes) > 0 {
		if err := tx.CalendarEventsSoftDelete(ctx, p.deletes, now); err != nil {
			return err
		}
	}
	return nil
}
