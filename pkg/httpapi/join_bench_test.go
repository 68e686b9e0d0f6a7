package httpapi_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/monadical/reflector-go/pkg/apptest"
)

// BenchmarkJoinExisting measures POST /v1/rooms/{name}/meeting for a room whose meeting
// exists, through the real HTTP stack and Postgres (see scripts/bench.sh for the load run).
func BenchmarkJoinExisting(b *testing.B) {
	a := apptest.New(b, apptest.Options{})
	a.CreateRoom(b, "bench")
	a.Do(b, http.MethodPost, "/v1/rooms/bench/meeting", nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(a.URL+"/v1/rooms/bench/meeting", "application/json", bytes.NewBufferString("{}"))
			if err != nil {
				b.Error(err)
				return
			}
			_ = resp.Body.Close()
		}
	})
}
