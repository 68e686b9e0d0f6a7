package metrics

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/store"
)

// scrapeTimeout bounds the Redis and Postgres reads of one scrape.
const scrapeTimeout = 3 * time.Second

// QueueInspector is the part of asynq.Inspector the queue collector reads.
type QueueInspector interface {
	GetQueueInfo(queue string) (*asynq.QueueInfo, error)
}

// queueCollector reports each queue's size per task state and its latency at scrape time.
type queueCollector struct {
	insp    QueueInspector
	queues  []string
	log     *zap.Logger
	depth   *prometheus.Desc
	latency *prometheus.Desc
	paused  *prometheus.Desc
}

// WatchQueues exports the depth of the queues (reflector_queue_depth{queue,state}), their
// latency and whether they are paused, read from Redis at each scrape.
func (m *Metrics) WatchQueues(insp QueueInspector, queues []string, log *zap.Logger) {
	m.Registry.MustRegister(&queueCollector{insp: insp, queues: queues, log: log,
		depth: prometheus.NewDesc(namespace+"_queue_depth", "Tasks in a queue by state.", []string{"queue", "state"}, nil),
		latency: prometheus.NewDesc(namespace+"_queue_latency_seconds", "Age of the oldest pending task of a queue.",
			[]string{"queue"}, nil),
		paused: prometheus.NewDesc(namespace+"_queue_paused", "1 while a queue is paused.", []string{"queue"}, nil)})
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.latency
	ch <- c.paused
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	for _, q := range c.queues {
		info, err := c.insp.GetQueueInfo(q)
		if err != nil {
			// A queue nothing was ever enqueued on does not exist yet: it is empty.
			info = &asynq.QueueInfo{Queue: q}
			c.log.Debug("queue info unavailable", zap.String("queue", q), zap.Error(err))
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived, "completed": info.Completed, "aggregating": info.Aggregating} {
			ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n), q, state)
		}
		ch <- prometheus.MustNewConstMetric(c.latency, prometheus.GaugeValue, info.Latency.Seconds(), q)
		ch <- prometheus.MustNewConstMetric(c.paused, prometheus.GaugeValue, boolf(info.Paused), q)
	}
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// StatsReader reads the database-derived gauges (store.OpsStore).
type StatsReader interface {
	OpsStats(ctx context.Context) (store.OpsStats, error)
}

// statsCollector reports recordings by status, the ledger, the inbox lag and live intents.
type statsCollector struct {
	r                                        StatsReader
	log                                      *zap.Logger
	byStatus, ledger, lag, unprocessed, live *prometheus.Desc
	dead                                     *prometheus.Desc
}

// WatchDatabase exports the gauges the database holds, read at each scrape.
func (m *Metrics) WatchDatabase(r StatsReader, log *zap.Logger) {
	m.Registry.MustRegister(&statsCollector{r: r, log: log,
		byStatus: prometheus.NewDesc(namespace+"_recordings", "Recordings by status.", []string{"status"}, nil),
		ledger: prometheus.NewDesc(namespace+"_recording_ledger_meetings",
			"Meetings ended in the last 24 h that should have a recording: expected, and landed (have one).",
			[]string{"kind"}, nil),
		lag: prometheus.NewDesc(namespace+"_webhook_inbox_lag_seconds",
			"Age of the oldest unprocessed webhook in the inbox (0 when empty).", nil, nil),
		unprocessed: prometheus.NewDesc(namespace+"_webhook_inbox_unprocessed", "Webhook rows not processed yet.", nil, nil),
		live:        prometheus.NewDesc(namespace+"_join_intents_live", "Unexpired join intents.", nil, nil),
		dead: prometheus.NewDesc(namespace+"_dead_letters",
			"Work parked after using up its attempts or restarts, by kind (webhook, recording, transcript, room_delete).",
			[]string{"kind"}, nil)})
}

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.byStatus, c.ledger, c.lag, c.unprocessed, c.live, c.dead} {
		ch <- d
	}
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	st, err := c.r.OpsStats(ctx)
	if err != nil {
		c.log.Warn("metrics: database gauges unavailable", zap.Error(err))
		ch <- prometheus.NewInvalidMetric(c.lag, err)
		return
	}
	for _, s := range []string{"pending", "downloading", "stored", "processing", "completed", "failed"} {
		ch <- prometheus.MustNewConstMetric(c.byStatus, prometheus.GaugeValue, float64(st.RecordingsByStatus[s]), s)
	}
	ch <- prometheus.MustNewConstMetric(c.ledger, prometheus.GaugeValue, float64(st.LedgerExpected), "expected")
	ch <- prometheus.MustNewConstMetric(c.ledger, prometheus.GaugeValue, float64(st.LedgerLanded), "landed")
	ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, st.InboxLag.Seconds())
	ch <- prometheus.MustNewConstMetric(c.unprocessed, prometheus.GaugeValue, float64(st.InboxUnprocessed))
	ch <- prometheus.MustNewConstMetric(c.live, prometheus.GaugeValue, float64(st.IntentsLive))
	for _, k := range []string{"webhook", "recording", "transcript", "room_delete"} {
		ch <- prometheus.MustNewConstMetric(c.dead, prometheus.GaugeValue, float64(st.DeadLetters[k]), k)
	}
}
