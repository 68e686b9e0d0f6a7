package faulttest

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// burst is issue 16's leak scenario aimed at the create path: many first joiners of new rooms
// at once on one API replica, which is killed -9 while their provider rooms are being made
// and their meetings not yet committed. What it leaves must be adopted or swept.
type burst struct {
	rooms   int           // new rooms per round
	latency time.Duration // provider latency during the round, so creations are in flight
	// orphans counts provider rooms no meeting named right after each kill: the leaks the
	// create path must clean up (0 would mean the kill missed the window).
	orphans atomic.Int64
}

// round creates the rooms, then fires one first join per room at api i and kills it once
// a quarter of the provider rooms exist, and restarts it.
func (b *burst) round(s *stack, d *driver, n, i int) {
	names := d.rooms(fmt.Sprintf("burst%d", n), b.rooms)
	before := s.daily.CallCount(emulator.DailyCreateRoom)
	s.daily.SetLatency(b.latency)
	defer s.daily.SetLatency(0)
	var answered atomic.Int64
	var wg sync.WaitGroup
	base := s.apiURL(i)
	for _, name := range names {
		wg.Go(func() {
			if st, _ := d.callAt(base, http.MethodPost, "/v1/rooms/"+name+"/meeting", map[string]any{}); st == http.StatusOK {
				answered.Add(1)
			}
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.daily.CallCount(emulator.DailyCreateRoom)-before < b.rooms/4 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	api := fmt.Sprintf("api%d", i)
	s.kill(api)
	wg.Wait()
	orphans := d.unowned()
	b.orphans.Add(int64(orphans))
	s.t.Logf("create burst %d: kill -9 %s after %d provider creates; %d of %d joins answered; %d provider rooms without a meeting",
		n, api, s.daily.CallCount(emulator.DailyCreateRoom)-before, answered.Load(), b.rooms, orphans)
	s.api(i)
}
