package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/monadical/reflector-go/pkg/apptest"
)

// joinAll posts one first join per room name, all at once, and returns each latency and the
// meeting ids handed out.
func joinAll(b *testing.B, a *apptest.App, rooms []string) ([]time.Duration, map[string]int) {
	b.Helper()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: len(rooms)}}
	lat := make([]time.Duration, len(rooms))
	ids := make([]string, len(rooms))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, name := range rooms {
		wg.Go(func() {
			<-start
			t0 := time.Now()
			resp, err := client.Post(a.URL+"/v1/rooms/"+name+"/meeting", "application/json", bytes.NewBufferString("{}"))
			lat[i] = time.Since(t0)
			if err != nil {
				ids[i] = "error: " + err.Error()
				return
			}
			defer func() { _ = resp.Body.Close() }()
			ids[i] = fmt.Sprintf("status %d", resp.StatusCode)
			if resp.StatusCode == http.StatusOK {
				ids[i] = name
			}
		})
	}
	close(start)
	wg.Wait()
	seen := map[string]int{}
	for _, id := range ids {
		seen[id]++
	}
	slices.Sort(lat)
	return lat, seen
}

func pct(lat []time.Duration, p float64) float64 {
	return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
}

// BenchmarkHerd: 1,000 joiners open one new room at once, the provider answering in 300 ms.
// They must all get the one meeting in one provider room.
func BenchmarkHerd(b *testing.B) {
	for range b.N {
		a := apptest.New(b, apptest.Options{})
		a.CreateRoom(b, "herd")
		a.Daily.SetLatency(300 * time.Millisecond)
		rooms := make([]string, 1000)
		for i := range rooms {
			rooms[i] = "herd"
		}
		lat, seen := joinAll(b, a, rooms)
		meetings := a.Count(b, "SELECT count(*) FROM meeting")
		fmt.Printf("herd joins=%d provider_rooms=%d meetings=%d ok=%d p50_ms=%.1f p99_ms=%.1f\n",
			len(rooms), len(a.Daily.Rooms()), meetings, seen["herd"], pct(lat, 0.5), pct(lat, 0.99))
		if len(a.Daily.Rooms()) != 1 || meetings != 1 || seen["herd"] != len(rooms) {
			b.Errorf("herd split or failed: %v", seen)
		}
	}
}

// BenchmarkFirstJoins: the first joiners of 100 new rooms arrive at once, the provider
// answering in 1 s, on a pool of 8 database connections (apptest's). The provider calls run
// outside transactions, so the wall time stays near one provider latency, not 100/8 of them.
func BenchmarkFirstJoins(b *testing.B) {
	for range b.N {
		a := apptest.New(b, apptest.Options{})
		rooms := make([]string, 100)
		for i := range rooms {
			rooms[i] = fmt.Sprintf("first-%d", i)
			a.CreateRoom(b, rooms[i])
		}
		a.Daily.SetLatency(time.Second)
		t0 := time.Now()
		_, seen := joinAll(b, a, rooms)
		wall := time.Since(t0)
		ok := 0
		for _, r := range rooms {
			ok += seen[r]
		}
		fmt.Printf("first_joins rooms=%d provider_ms=1000 pool=8 ok=%d wall_s=%.2f\n", len(rooms), ok, wall.Seconds())
		if ok != len(rooms) {
			b.Errorf("first joins failed: %v", seen)
		}
	}
}
