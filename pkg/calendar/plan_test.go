package calendar

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func TestPlanSync(t *testing.T) {
	t.Parallel()
	roomID := uuid.New()
	since := utc("2026-03-02T13:00:00Z")
	ev := func(uid, start string) Event {
		return Event{UID: uid, Title: uid, Start: utc(start), End: utc(start).Add(30 * time.Minute)}
	}
	stored := func(e Event, deleted bool) CalendarEvent {
		return CalendarEvent{Event: e, ID: uuid.New(), RoomID: roomID, IsDeleted: deleted}
	}
	same := stored(ev("same", "2026-03-02T15:00:00Z"), false)
	changed := stored(ev("changed", "2026-03-02T15:00:00Z"), false)
	revived := stored(ev("revived", "2026-03-02T16:00:00Z"), true)
	gone := stored(ev("gone", "2026-03-02T17:00:00Z"), false)
	past := stored(ev("past", "2026-03-01T10:00:00Z"), false)
	newer := changed.Event
	newer.Title = "renamed"

	fresh := uuid.New()
	p := planSync([]CalendarEvent{same, changed, revived, gone, past},
		[]Event{same.Event, newer, revived.Event, ev("new", "2026-03-02T18:00:00Z")},
		roomID, since, func() uuid.UUID { return fresh })

	require.Equal(t, 1, p.created)
	require.Equal(t, 2, p.updated, "the changed event and the revived one")
	require.Equal(t, []uuid.UUID{gone.ID}, p.deletes, "events before the window are history")
	ids := []uuid.UUID{}
	for _, u := range p.upserts {
		ids = append(ids, u.ID)
	}
	require.Equal(t, []uuid.UUID{changed.ID, revived.ID, fresh}, ids, "unchanged events are not written")

	t.Run("an identical feed plans nothing", func(t *testing.T) {
		t.Parallel()
		p := planSync([]CalendarEvent{same}, []Event{same.Event}, roomID, since, uuid.New)
		require.Empty(t, p.upserts)
		require.Empty(t, p.deletes)
	})
}
