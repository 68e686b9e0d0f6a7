// Package faulttest is `make fault-test`: the whole system as processes (two API replicas,
// two workers, the scheduler, its own Postgres and Redis, the emulators) under mixed load
// (the race-test joiners, webhooks, recordings) while it kills -9 an api replica in the middle
// of a burst of first-meeting creations (three times) and a worker,
// restarts Redis empty and stops Postgres for 20 s; then it waits for the sweeps and counts
// what was lost, done twice, leaked or left stuck. It runs only with FAULT_TEST=1.
package faulttest

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/livetest"
)

// plan is the fault schedule, as offsets from the start of the load.
type plan struct {
	// bursts are the api kills: each a round of first joins of new rooms on one replica, killed
	// -9 mid-creation (burst_test.go), alternating replicas.
	bursts                           []time.Duration
	killWorker, restartRedis, stopPG time.Duration
	pgDown, load, converge           time.Duration
}

func thePlan() plan {
	return plan{bursts: []time.Duration{15 * time.Second, 25 * time.Second, 42 * time.Second},
		killWorker: 35 * time.Second, restartRedis: 55 * time.Second,
		stopPG: 70 * time.Second, pgDown: 20 * time.Second, load: 120 * time.Second, converge: 5 * time.Minute}
}

func TestFault(t *testing.T) {
	if os.Getenv("FAULT_TEST") == "" {
		t.Log("the fault test runs with make fault-test (FAULT_TEST=1)")
		return
	}
	s := newStack(t)
	s.apps()
	p := thePlan()
	d := newDriver(t, s)
	rooms := d.rooms("fault", 20)

	ctx, cancel := context.WithTimeout(context.Background(), p.load)
	defer cancel()
	crowd := &livetest.Crowd{API: d, Provider: s.daily, Rooms: rooms, Clients: 40, C: &d.crowd}
	done := make(chan struct{}, 3)
	go func() { crowd.Run(ctx); done <- struct{}{} }()
	go func() { d.webhooks(ctx); done <- struct{}{} }()
	go func() { d.recordings(ctx, wavFile(t, s.dir)); done <- struct{}{} }()
	b := &burst{rooms: 100, latency: 200 * time.Millisecond}
	pgBack := s.faults(ctx, p, d, b)
	for range 3 {
		<-done
	}
	converged := d.converge(p.converge)
	line := d.line(time.Since(pgBack), converged)
	t.Logf("create bursts=%d rooms_each=%d provider rooms orphaned by the kills=%d", len(p.bursts), b.rooms, b.orphans.Load())
	fmt.Println(line)
	require.True(t, converged, line)
}

// faults runs the schedule and returns when Postgres came back.
func (s *stack) faults(ctx context.Context, p plan, d *driver, b *burst) time.Time {
	start := time.Now()
	at := func(off time.Duration) { livetest.Sleep(ctx, time.Until(start.Add(off))) }
	type step struct {
		at time.Duration
		do func()
	}
	steps := []step{{p.killWorker, func() {
		s.t.Log("kill -9 worker0")
		s.kill("worker0")
		livetest.Sleep(ctx, 2*time.Second)
		s.worker(0)
	}}, {p.restartRedis, func() {
		s.t.Log("Redis restarted empty")
		s.redis()
	}}}
	for n, off := range p.bursts {
		steps = append(steps, step{off, func() { b.round(s, d, n, n%apis) }})
	}
	slices.SortFunc(steps, func(x, y step) int { return cmp.Compare(x.at, y.at) })
	for _, st := range steps {
		at(st.at)
		st.do()
	}
	at(p.stopPG)
	s.t.Log("Postgres stopped")
	d.outage(true)
	s.pg("stop")
	livetest.Sleep(ctx, p.pgDown)
	s.pg("start")
	back := time.Now()
	s.t.Log("Postgres started")
	time.AfterFunc(5*time.Second, func() { d.outage(false) }) // pools reconnect on their next use
	return back
}

// wavFile makes two seconds of audio for the recording tracks.
func wavFile(t *testing.T, dir string) []byte {
	out := filepath.Join(dir, "track.wav")
	msg, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
		"sine=frequency=440:duration=2", out).CombinedOutput()
	require.NoError(t, err, "ffmpeg: %s", msg)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	return b
}

func itoa(n int) string { return strconv.Itoa(n) }
