package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monadical/reflector-go/pkg/apptest"
)

// BenchmarkJoinExisting is the API join of `make bench` in one process, for a CPU profile of
// the server (`go test -bench JoinExisting -cpuprofile`, then pprof with
// -focus 'net/http.\(\*conn\).serve' to leave the benchmark's own client out): 64 clients
// POST /v1/rooms/{name}/meeting for a room whose meeting exists.
func BenchmarkJoinExisting(b *testing.B) {
	a := apptest.New(b, apptest.Options{})
	a.CreateRoom(b, "bench-room")
	url := a.URL + "/v1/rooms/bench-room/meeting"
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	post := func() error {
		res, err := client.Post(url, "application/json", bytes.NewBufferString("{}"))
		if err != nil {
			return err
		}
		defer func() { _ = res.Body.Close() }()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	if err := post(); err != nil { // the meeting exists before the clock starts
		b.Fatal(err)
	}
	var failed atomic.Int64
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	t0 := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if post() != nil {
				failed.Add(1)
			}
		}
	})
	wall := time.Since(t0)
	if failed.Load() > 0 {
		b.Errorf("%d joins failed", failed.Load())
	}
	if b.N < 1000 {
		return // make bench's -benchtime 1x: too few to be a figure
	}
	fmt.Printf("join_existing_inprocess joins=%d req_per_s=%.0f\n", b.N, float64(b.N)/wall.Seconds())
}
