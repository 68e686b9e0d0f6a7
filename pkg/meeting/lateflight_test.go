package meeting_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/store"
)

// staleReads answers the next reads outside a transaction as they were just before a
// creation committed: what a caller saw whose read came right before another flight of its
// process committed the meeting and finished. Each counter is how many reads still miss.
type staleReads struct {
	store.MeetingStore
	join, seq, slot atomic.Int32
}

func miss(n *atomic.Int32) bool { return n.Add(-1) >= 0 }

func (s *staleReads) MeetingForJoin(ctx context.Context, roomName string, in meeting.Intent, ev meeting.Event, now time.Time) (room.Room, *meeting.Meeting, error) {
	r, m, err := s.MeetingStore.MeetingForJoin(ctx, roomName, in, ev, now)
	if err == nil && m != nil && miss(&s.join) {
		return r, nil, nil
	}
	return r, m, err
}

func (s *staleReads) MeetingAdhocNextSeq(ctx context.Context, roomID uuid.UUID, now time.Time) (int64, bool, error) {
	next, joinable, err := s.MeetingStore.MeetingAdhocNextSeq(ctx, roomID, now)
	if err == nil && joinable && miss(&s.seq) {
		return next - 1, false, nil
	}
	return next, joinable, err
}

func (s *staleReads) MeetingCalendarBySlot(ctx context.Context, roomID uuid.UUID, start, end time.Time) (*meeting.Meeting, error) {
	m, err := s.MeetingStore.MeetingCalendarBySlot(ctx, roomID, start, end)
	if err == nil && m != nil && miss(&s.slot) {
		return nil, nil
	}
	return m, err
}

// TestAdhocLateFlightMakesNoProviderCall: a joiner whose reads missed the meeting that a
// flight of its process then committed starts a flight of its own once that one finished;
// that flight looks again and calls the provider no more (one call per process, even when the
// herd straggles).
func TestAdhocLateFlightMakesNoProviderCall(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "late")
	st := &staleReads{MeetingStore: store.NewMeetingStore(a.DB)}
	svc := newReplica(a, testkit.NewClock(time.Now()), st)
	first, err := svc.GetOrCreate(context.Background(), "late", "", "", false)
	require.NoError(t, err)

	st.join.Store(1)
	st.seq.Store(1)
	late, err := svc.GetOrCreate(context.Background(), "late", "", "", false)
	require.NoError(t, err)
	require.Equal(t, first.Meeting.ID, late.Meeting.ID)
	require.Equal(t, 1, a.Daily.CallCount(emulator.DailyCreateRoom), "the late flight saw the commit")
}

// TestCalendarLateFlightMakesNoProviderCall is the same for a calendar slot.
func TestCalendarLateFlightMakesNoProviderCall(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	s := newSlot(t, a, "late")
	st := &staleReads{MeetingStore: store.NewMeetingStore(a.DB)}
	svc := newReplica(a, testkit.NewClock(time.Now()), st)
	first, err := svc.CreateCalendar(context.Background(), s.roomID, s.eventID, s.start, s.end, nil)
	require.NoError(t, err)

	st.slot.Store(1)
	late, err := svc.CreateCalendar(context.Background(), s.roomID, s.eventID, s.start, s.end, nil)
	require.NoError(t, err)
	require.Equal(t, first, late)
	require.Equal(t, 1, a.Daily.CallCount(emulator.DailyCreateRoom), "the late flight saw the commit")
}
