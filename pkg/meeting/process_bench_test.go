package meeting_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// countingStore delegates to the real store and counts database round trips: one per
// statement, four for MeetingsEnd (begin, lock, update, commit).
type countingStore struct {
	meeting.ProcessStore
	trips atomic.Int64
}

func (c *countingStore) MeetingsActiveForProcessing(ctx context.Context, now time.Time) ([]meeting.Active, error) {
	c.trips.Add(1)
	return c.ProcessStore.MeetingsActiveForProcessing(ctx, now)
}
func (c *countingStore) MeetingsMarkPresent(ctx context.Context, ids []uuid.UUID) error {
	c.trips.Add(1)
	return c.ProcessStore.MeetingsMarkPresent(ctx, ids)
}
func (c *countingStore) MeetingsStartGrace(ctx context.Context, ids []uuid.UUID, now time.Time) error {
	c.trips.Add(1)
	return c.ProcessStore.MeetingsStartGrace(ctx, ids, now)
}
func (c *countingStore) MeetingsEnd(ctx context.Context, ends []meeting.End, now time.Time) ([]meeting.Meeting, error) {
	c.trips.Add(4)
	return c.ProcessStore.MeetingsEnd(ctx, ends, now)
}
func (c *countingStore) IntentsPurge(ctx context.Context, before time.Time) error {
	c.trips.Add(1)
	return c.ProcessStore.IntentsPurge(ctx, before)
}
func (c *countingStore) MeetingsRoomDeletePending(ctx context.Context, a, b time.Time) ([]meeting.Meeting, error) {
	c.trips.Add(1)
	return c.ProcessStore.MeetingsRoomDeletePending(ctx, a, b)
}

// seed makes n active meetings, one per room: a tenth of them have someone present, five
// have an expired grace period (deactivation candidates), the rest were never joined.
func seed(b *testing.B, db *sqlx.DB, emu *emulator.Daily, n int) {
	b.Helper()
	_, err := db.Exec(`INSERT INTO room (id, name, user_id, platform, grace_period_minutes)
		SELECT gen_random_uuid(), 'r' || i, 'u', 'daily', 0 FROM generate_series(1, $1) i`, n)
	if err != nil {
		b.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO meeting (id, room_id, platform, room_name, start_date, end_date, is_locked, room_mode,
		recording_type, recording_trigger, ever_joined, last_participant_left_at)
		SELECT gen_random_uuid(), r.id, 'daily', r.name, now(), now() + interval '8 hours', false, 'normal', 'none', 'none',
			row_number() OVER () <= 5, CASE WHEN row_number() OVER () <= 5 THEN now() - interval '1 hour' END
		FROM room r`)
	if err != nil {
		b.Fatal(err)
	}
	for i := n; i > n-n/10; i-- {
		emu.Join(fmt.Sprintf("r%d", i), fmt.Sprintf("s%d", i), "", "p")
	}
}

// BenchmarkProcessMeetings measures one process-meetings run over N active meetings with
// 50 ms of provider latency. Provider calls and database round trips per run must not grow
// with N: presence is read domain-wide in one call, and only deactivation candidates are
// confirmed room by room.
func BenchmarkProcessMeetings(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			db := storetest.NewDB(b)
			emu := emulator.NewDaily(emulator.DailyOptions{APIKey: "k", Latency: 50 * time.Millisecond})
			url, stop := emu.Start()
			defer stop()
			reg := platform.NewRegistry(daily.New(daily.Config{BaseURL: url, APIKey: "k", RatePerSecond: 1000, DeleteRatePerSecond: 1000}))
			seed(b, db, emu, n)
			cs := &countingStore{ProcessStore: store.NewMeetingStore(db)}
			proc := meeting.NewProcessor(meeting.ProcessorConfig{Store: cs, Jobs: simJobs{platforms: reg},
				Presence: presence.Reader{Platforms: reg, Log: zap.NewNop(), Concurrency: 8}})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				calls0 := emu.TotalCalls()
				cs.trips.Store(0)
				start := time.Now()
				res, err := proc.Run(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				wall := time.Since(start)
				if i == 0 {
					fmt.Printf("process-meetings n=%d wall_s=%.3f provider_calls=%d db_roundtrips=%d ended=%d\n",
						n, wall.Seconds(), emu.TotalCalls()-calls0, cs.trips.Load(), res.Ended)
				}
			}
		})
	}
}
