package ratelimit_test

import (
	"context"
	"sync/atomic"
	"testing"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/ratelimit"
)

// BenchmarkAllow: one client's checks from 64 goroutines (make bench's wrk connections) under
// the bench's write limit, asking Redis per request (as before leases) and leasing.
func BenchmarkAllow(b *testing.B) {
	for _, bc := range []struct {
		name  string
		lease int
	}{{"per_request", 1}, {"leased", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			o := apptest.RedisDB(b)
			c := client(b, o.Addr, o.DB)
			h := &evals{}
			c.AddHook(h)
			bucket := ratelimit.New(c, zap.NewNop()).Bucket("writes", hugePerMinute, hugeBurst)
			if bc.lease > 0 {
				bucket = bucket.WithLease(bc.lease)
			}
			var failedOpen atomic.Int64 // a loaded machine's Redis may miss Deadline
			b.SetParallelism(32)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					ok, err := bucket.AllowContext(context.Background(), "10.0.0.1")
					if !ok {
						b.Error("refused under the bench's limit")
					}
					if err != nil {
						failedOpen.Add(1)
					}
				}
			})
			b.ReportMetric(float64(len(h.calls()))/float64(b.N), "redis_calls/op")
			b.ReportMetric(float64(failedOpen.Load())/float64(b.N), "failed_open/op")
		})
	}
}
