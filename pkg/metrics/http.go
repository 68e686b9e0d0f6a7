package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// HTTPRequest records one served request by its route template (so ids do not explode the
// label set), method and status, with its latency.
func (m *Metrics) HTTPRequest(route, method string, status int, d time.Duration) {
	if m != nil {
		m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		m.httpDuration.WithLabelValues(route, method).Observe(d.Seconds())
	}
}

// Tasks is asynq middleware counting task runs by type and outcome, with their duration.
func (m *Metrics) Tasks(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) (err error) {
		if m == nil {
			return next.ProcessTask(ctx, t)
		}
		start := time.Now()
		outcome := "panic"
		defer func() {
			m.taskOutcomes.WithLabelValues(t.Type(), outcome).Inc()
			m.taskDuration.WithLabelValues(t.Type()).Observe(time.Since(start).Seconds())
		}()
		err = next.ProcessTask(ctx, t)
		switch {
		case err == nil:
			outcome = "ok"
		case errors.Is(err, asynq.SkipRetry):
			outcome = "skip_retry"
		default:
			outcome = "error"
		}
		return err
	})
}
