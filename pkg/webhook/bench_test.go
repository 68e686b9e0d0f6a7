package webhook_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform/daily"
)

// benchConns is the number of concurrent connections of both phases (the 64).
const benchConns = 64

// BenchmarkWebhookIngest measures verified Daily webhooks per second through the real API
// (HTTP, signature check, inbox insert, enqueue) at 64 connections, beside a raw asynq
// enqueue baseline at 64 goroutines on the same Redis, in the same run. It prints
// `webhook_per_s=<n> webhook_vs_enqueue_ratio=<r>`. WEBHOOK_BENCH_SECONDS sets each phase's
// length (default 3).
func BenchmarkWebhookIngest(b *testing.B) {
	a := apptest.New(b, apptest.Options{})
	a.DB.SetMaxOpenConns(32) // as DATABASE_MAX_CONNS in production
	a.DB.SetMaxIdleConns(32)
	phase := 3 * time.Second
	if s, err := strconv.Atoi(os.Getenv("WEBHOOK_BENCH_SECONDS")); err == nil && s > 0 {
		phase = time.Duration(s) * time.Second
	}
	key := mustB64(b, a.Daily.WebhookSecret())
	var webhookRate, enqueueRate float64
	for b.Loop() {
		enqueueRate = rate(phase, func(ctx context.Context, i int64) error {
			t := asynq.NewTask("bench:enqueue", []byte(`{"id":1}`), asynq.TaskID("bench:"+strconv.FormatInt(i, 10)))
			_, err := a.Queue.EnqueueContext(ctx, t)
			return err
		})
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			MaxIdleConnsPerHost: benchConns, MaxConnsPerHost: benchConns}}
		webhookRate = rate(phase, func(ctx context.Context, i int64) error {
			return postSigned(ctx, client, a.URL+dailyPath, key, i)
		})
	}
	ratio := webhookRate / enqueueRate
	b.ReportMetric(webhookRate, "webhook_per_s")
	b.ReportMetric(ratio, "webhook_vs_enqueue_ratio")
	stored := a.Count(b, `SELECT count(*) FROM webhook_event`)
	require.Positive(b, stored)
	fmt.Printf("webhook_per_s=%.0f webhook_vs_enqueue_ratio=%.3f\n", webhookRate, ratio)
	fmt.Fprintf(os.Stderr, "bench: enqueue baseline %.0f/s, webhooks %.0f/s, %d rows stored\n", enqueueRate, webhookRate, stored)
}

// postSigned sends the i-th participant.joined event, signed as Daily signs it.
func postSigned(ctx context.Context, c *http.Client, url string, key []byte, i int64) error {
	now := time.Now()
	body := fmt.Appendf(nil, `{"version":"1.0.0","type":"participant.joined","id":"bench-%d","payload":{"room":"bench-room",`+
		`"user_id":"u%d","user_name":"bench","session_id":"s%d","joined_at":%d,"owner":false},"event_ts":%d}`,
		i, i, i, now.Unix(), now.Unix())
	return postRaw(ctx, c, url, key, body)
}

func postRaw(ctx context.Context, c *http.Client, url string, key, body []byte) error {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(daily.HeaderTimestamp, ts)
	req.Header.Set(daily.HeaderSignature, daily.Sign(key, ts, body))
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var sink [64]byte
	for {
		if _, err := resp.Body.Read(sink[:]); err != nil {
			break
		}
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// rate runs op from benchConns goroutines for d and returns successful operations per second.
// Every op gets a unique index, so no task id or event id repeats.
func rate(d time.Duration, op func(ctx context.Context, i int64) error) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var next, ok, failed atomic.Int64
	base := time.Now().UnixNano()
	start := time.Now()
	var wg sync.WaitGroup
	for range benchConns {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := op(context.Background(), base+next.Add(1)); err != nil {
					failed.Add(1)
					continue
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d failed operations\n", n)
	}
	return float64(ok.Load()) / time.Since(start).Seconds()
}
