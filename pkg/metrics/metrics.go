// Package metrics holds the Prometheus metric families of every process and the small
// adapters that feed them (echo and asynq middleware, service decorators, scrape-time
// collectors). There is no global registry: main builds one Metrics on its own registry and
// passes it to what it observes. A nil *Metrics records nothing, so tests and tools can omit it.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// namespace prefixes every family.
const namespace = "reflector"

// Metrics are the families the processes record into.
type Metrics struct {
	Registry *prometheus.Registry

	httpRequests *prometheus.CounterVec   // route, method, status
	httpDuration *prometheus.HistogramVec // route, method

	taskOutcomes *prometheus.CounterVec   // type, outcome
	taskDuration *prometheus.HistogramVec // type

	meetingsCreated *prometheus.CounterVec // kind, platform
	meetingsEnded   *prometheus.CounterVec // reason
	handouts        *prometheus.CounterVec // path (existing, created)
	joinBatches     prometheus.Observer    // joiners per join handout statement

	presenceReads *prometheus.CounterVec // platform, outcome (ok, unknown, rate_limited)

	providerCalls    *prometheus.CounterVec   // provider, endpoint, outcome
	providerDuration *prometheus.HistogramVec // provider, endpoint
	providerWaits    *prometheus.HistogramVec // provider, endpoint
	breakerOpen      *prometheus.GaugeVec     // provider, endpoint

	webhooksReceived  *prometheus.CounterVec // provider, outcome (stored, duplicate, handshake)
	webhooksRejected  *prometheus.CounterVec // provider, reason
	webhooksProcessed *prometheus.CounterVec // outcome
	dailyHooksFailed  prometheus.Gauge

	recordingsMissing prometheus.Gauge
	calendarSyncs     *prometheus.CounterVec // outcome
	reconciliations   *prometheus.CounterVec // outcome
}

// New registers every family, and the Go and process collectors, on a new registry.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	f := factory{reg}
	return &Metrics{
		Registry: reg,
		httpRequests: f.counter("http_requests_total", "HTTP requests by route, method and status.",
			"route", "method", "status"),
		httpDuration: f.histogram("http_request_duration_seconds", "HTTP request latency by route and method.",
			prometheus.DefBuckets, "route", "method"),
		taskOutcomes: f.counter("task_runs_total", "Task runs by type and outcome (ok, error, skip_retry, panic).",
			"type", "outcome"),
		taskDuration: f.histogram("task_duration_seconds", "Task run time by type.",
			[]float64{.01, .05, .1, .5, 1, 5, 15, 60, 300}, "type"),
		meetingsCreated: f.counter("meetings_created_total", "Meetings created, by kind (adhoc, extra, calendar) and platform.",
			"kind", "platform"),
		meetingsEnded: f.counter("meetings_ended_total", "Meetings ended, by reason.", "reason"),
		handouts: f.counter("meeting_handouts_total", "Meetings handed to a joining client, by path (existing, created).",
			"path"),
		joinBatches: f.histogram("join_batch_size", "Joiners served by one join handout statement (concurrent joiners of a room share one).",
			[]float64{1, 2, 4, 8, 16, 32, 64, 128, 256}).WithLabelValues(),
		presenceReads: f.counter("presence_reads_total", "Provider presence reads by platform and outcome (ok, unknown, rate_limited).",
			"platform", "outcome"),
		providerCalls: f.counter("provider_calls_total", "Provider API calls by provider, endpoint and outcome.",
			"provider", "endpoint", "outcome"),
		providerDuration: f.histogram("provider_call_duration_seconds", "Provider API call latency, retries included.",
			[]float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30}, "provider", "endpoint"),
		providerWaits: f.histogram("provider_rate_wait_seconds", "Time spent waiting for the provider rate budget.",
			[]float64{.001, .01, .1, .5, 1, 5, 30}, "provider", "endpoint"),
		breakerOpen: f.gauge("provider_breaker_open", "1 while the circuit breaker of a provider endpoint is open.",
			"provider", "endpoint"),
		webhooksReceived: f.counter("webhooks_received_total", "Authenticated webhook deliveries by provider and outcome (stored, duplicate, handshake).",
			"provider", "outcome"),
		webhooksRejected: f.counter("webhooks_rejected_total", "Webhook deliveries refused, by provider and reason (signature, malformed, error).",
			"provider", "reason"),
		webhooksProcessed: f.counter("webhooks_processed_total", "Inbox rows processed, by outcome (ok, error, dead: the run that dead-lettered the row).", "outcome"),
		dailyHooksFailed: f.gauge("daily_webhooks_failed", "Daily webhooks found in state FAILED by the last health check.").
			WithLabelValues(),
		recordingsMissing: f.gauge("recordings_missing", "Meetings missing a recording at the last completeness ledger run.").
			WithLabelValues(),
		calendarSyncs:   f.counter("calendar_syncs_total", "ICS syncs by outcome (success, unchanged, error, skipped).", "outcome"),
		reconciliations: f.counter("presence_reconciliations_total", "Meetings presence:reconcile brought in line with their provider, by outcome (synced, unknown, error).", "outcome"),
	}
}

// factory creates and registers families.
type factory struct{ reg prometheus.Registerer }

func (f factory) counter(name, help string, labels ...string) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	f.reg.MustRegister(v)
	return v
}

func (f factory) gauge(name, help string, labels ...string) *prometheus.GaugeVec {
	v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help}, labels)
	f.reg.MustRegister(v)
	return v
}

func (f factory) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	v := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help,
		Buckets: buckets}, labels)
	f.reg.MustRegister(v)
	return v
}

// MeetingCreated counts a new meeting.
func (m *Metrics) MeetingCreated(kind, platform string) {
	if m != nil {
		m.meetingsCreated.WithLabelValues(kind, platform).Inc()
	}
}

// MeetingEnded counts an ended meeting by reason.
func (m *Metrics) MeetingEnded(reason string) {
	if m != nil {
		m.meetingsEnded.WithLabelValues(reason).Inc()
	}
}

// Handout counts a meeting handed to a client; created tells whether it was made for it.
func (m *Metrics) Handout(created bool) {
	if m == nil {
		return
	}
	path := "existing"
	if created {
		path = "created"
	}
	m.handouts.WithLabelValues(path).Inc()
}

// JoinBatch records the joiners one join handout statement served.
func (m *Metrics) JoinBatch(n int) {
	if m != nil {
		m.joinBatches.Observe(float64(n))
	}
}

// PresenceRead counts one presence read of a platform by outcome.
func (m *Metrics) PresenceRead(platform, outcome string) {
	if m != nil {
		m.presenceReads.WithLabelValues(platform, outcome).Inc()
	}
}

// ProviderCall records one provider call (all its attempts) and its latency.
func (m *Metrics) ProviderCall(provider, endpoint, outcome string, d time.Duration) {
	if m != nil {
		m.providerCalls.WithLabelValues(provider, endpoint, outcome).Inc()
		m.providerDuration.WithLabelValues(provider, endpoint).Observe(d.Seconds())
	}
}

// RateWait records a wait for the provider's rate budget.
func (m *Metrics) RateWait(provider, endpoint string, d time.Duration) {
	if m != nil {
		m.providerWaits.WithLabelValues(provider, endpoint).Observe(d.Seconds())
	}
}

// BreakerState records whether an endpoint's breaker is open.
func (m *Metrics) BreakerState(provider, endpoint string, open bool) {
	if m == nil {
		return
	}
	v := 0.0
	if open {
		v = 1
	}
	m.breakerOpen.WithLabelValues(provider, endpoint).Set(v)
}

// Reconciliation counts a meeting presence:reconcile handled, by outcome (synced, unknown, error).
func (m *Metrics) Reconciliation(outcome string) {
	if m != nil {
		m.reconciliations.WithLabelValues(outcome).Inc()
	}
}
