package livetest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// size is the load of one run: make test runs a small one, make race-test the full one.
type size struct {
	clients, rooms int
	duration       time.Duration
}

func runSize() size {
	if os.Getenv("RACE_TEST_FULL") != "" {
		return size{clients: 200, rooms: 100, duration: 2 * time.Minute}
	}
	return size{clients: 30, rooms: 15, duration: 15 * time.Second}
}

// counters are the outcome of a run.
type counters struct {
	Counters
	ended int
}

func (c *counters) line(off bool) string {
	mode := "on"
	if off {
		mode = "off"
	}
	return fmt.Sprintf("splits=%d orphans=%d rejoins=%d safeguards=%s", c.Splits.Load(), c.Orphans.Load(), c.Rejoins.Load(), mode)
}

// system starts the API, a worker and a scheduler ticking process-meetings every second.
func system(t *testing.T, off bool) *apptest.App {
	t.Helper()
	a := apptest.New(t, apptest.Options{PresenceLag: 2 * time.Second,
		Meeting: func(c *meeting.Config) {
			c.IntentTTL, c.PresenceLag, c.SafeguardsOff = 5*time.Second, 4*time.Second, off
		},
		Processor: func(c *meeting.ProcessorConfig) { c.Now, c.SafeguardsOff = time.Now, off },
	})
	log := zap.NewNop()
	poller := setup.PresencePoller(setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Log: log})
	srv := asynq.NewServer(a.Redis, asynq.Config{Concurrency: 8, Queues: tasks.Queues(), LogLevel: asynq.FatalLevel})
	require.NoError(t, srv.Start(tasks.NewMux(tasks.Deps{Platforms: a.Platforms, Meetings: store.NewMeetingStore(a.DB), Processor: a.Processor, Presence: poller, Log: log})))
	t.Cleanup(srv.Shutdown)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tasks.Run(ctx, a.Queue, tasks.Schedule(tasks.Intervals{ProcessMeetings: time.Second}), time.Now, log)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return a
}

func live(t *testing.T, off bool) *counters {
	a := system(t, off)
	sz := runSize()
	zero := 0
	var rooms []string
	for i := range sz.rooms {
		name := fmt.Sprintf("live-%d", i)
		a.CreateRoom(t, name, func(in *room.Input) { in.GracePeriodMinutes = &zero })
		rooms = append(rooms, name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), sz.duration)
	defer cancel()
	c := &counters{}
	crowd := &Crowd{API: appAPI{a}, Provider: a.Daily, Rooms: rooms, Clients: sz.clients, C: &c.Counters}
	crowd.Run(ctx)
	ended := a.Count(t, "SELECT count(*) FROM meeting WHERE NOT is_active")
	t.Logf("joins=%d meetings_ended=%d", c.Joins.Load(), ended)
	c.ended = ended
	return c
}

// TestLiveRace is the live concurrent test with the safeguards on: no split, no orphan.
func TestLiveRace(t *testing.T) {
	t.Parallel()
	c := live(t, false)
	fmt.Println(c.line(false))
	require.Positive(t, c.Joins.Load())
	require.Zero(t, c.Splits.Load(), c.line(false))
	require.Zero(t, c.Orphans.Load(), c.line(false))
}

// TestLiveRaceSafeguardsOff runs the same load with the room lock off, intents ignored and no
// confirmation read, and must find what TestLiveRace proves absent: users sent to, or left
// in, deleted provider rooms (orphans), or users of one room in two provider rooms (splits).
// Orphans come by the dozen in every run; splits need a create race and may not.
func TestLiveRaceSafeguardsOff(t *testing.T) {
	t.Parallel()
	c := live(t, true)
	fmt.Println(c.line(true))
	require.Positive(t, c.Splits.Load()+c.Orphans.Load(), "the safeguards-off run found nothing: the live test cannot fail")
}

// appAPI sends the crowd's requests through apptest.
type appAPI struct{ a *apptest.App }

func (p appAPI) Call(method, path string, body any) (int, map[string]any) {
	res := p.a.Do(nopT{}, method, path, body)
	var m map[string]any
	_ = json.Unmarshal(res.Body, &m)
	return res.Status, m
}

// nopT lets client goroutines use apptest's helpers without failing the test from another
// goroutine: a transport error shows up as a zero status and is retried.
type nopT struct{ testing.TB }

func (nopT) Helper()               {}
func (nopT) Fatalf(string, ...any) {}
func (nopT) Errorf(string, ...any) {}
func (nopT) Logf(string, ...any)   {}
