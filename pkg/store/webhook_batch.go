package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/webhook"
)

// maxInsertBatch bounds the rows of one grouped insert (7 parameters each).
const maxInsertBatch = 256

// BatchedWebhookStore is WebhookStore whose inbox inserts are grouped: concurrent deliveries
// are written by a few flushers, each taking whatever is waiting and writing it with one
// multi-row INSERT, so a webhook storm costs one round trip and one commit per batch instead
// of per delivery. Every caller still returns only after its row is committed.
type BatchedWebhookStore struct {
	WebhookStore
	reqs chan insertReq
	stop chan struct{}
	wg   sync.WaitGroup
}

type insertReq struct {
	ev   webhook.Event
	done chan insertRes
}

type insertRes struct {
	id       int64
	inserted bool
	err      error
}

// NewBatchedWebhookStore starts flushers goroutines (at least 1) on db; Close stops them.
func NewBatchedWebhookStore(db *sqlx.DB, flushers int) *BatchedWebhookStore {
	s := &BatchedWebhookStore{WebhookStore: NewWebhookStore(db), reqs: make(chan insertReq, maxInsertBatch),
		stop: make(chan struct{})}
	for range max(flushers, 1) {
		s.wg.Go(s.flushLoop)
	}
	return s
}

// Close stops the flushers after the batches in flight.
func (s *BatchedWebhookStore) Close() {
	close(s.stop)
	s.wg.Wait()
}

// WebhookEventInsert queues the row for the next grouped insert and waits for its outcome.
func (s *BatchedWebhookStore) WebhookEventInsert(ctx context.Context, ev webhook.Event) (int64, bool, error) {
	req := insertReq{ev: ev, done: make(chan insertRes, 1)}
	select {
	case s.reqs <- req:
	case <-s.stop:
		return 0, false, fmt.Errorf("insert webhook event: store closed")
	case <-ctx.Done():
		return 0, false, ctx.Err()
	}
	select {
	case res := <-req.done:
		return res.id, res.inserted, res.err
	case <-ctx.Done():
		return 0, false, ctx.Err() // the row may still be committed; the sweep queues it
	}
}

func (s *BatchedWebhookStore) flushLoop() {
	for {
		var batch []insertReq
		select {
		case <-s.stop:
			return
		case r := <-s.reqs:
			batch = append(batch, r)
		}
	drain:
		for len(batch) < maxInsertBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		s.flush(batch)
	}
}

// flush writes a batch with one statement. Within a batch, the first delivery of a
// (provider, event id) gets the row; later ones, like rows already stored, are duplicates.
func (s *BatchedWebhookStore) flush(batch []insertReq) {
	var q strings.Builder
	q.WriteString(`INSERT INTO webhook_event (provider, event_id, event_type, event_ts, body, headers, received_at) VALUES `)
	args := make([]any, 0, 7*len(batch))
	for i, r := range batch {
		if i > 0 {
			q.WriteString(", ")
		}
		n := 7 * i
		fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, COALESCE($%d, now()))", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
		args = append(args, r.ev.Provider, r.ev.EventID, r.ev.Type, r.ev.EventTS, r.ev.Body, r.ev.Headers, receivedAt(r.ev.ReceivedAt))
	}
	q.WriteString(` ON CONFLICT (provider, event_id) DO NOTHING RETURNING id, provider, event_id`)
	var rows []struct {
		ID       int64  `db:"id"`
		Provider string `db:"provider"`
		EventID  string `db:"event_id"`
	}
	err := sqlx.SelectContext(context.Background(), s.q, &rows, q.String(), args...)
	ids := make(map[[2]string]int64, len(rows))
	for _, r := range rows {
		ids[[2]string{r.Provider, r.EventID}] = r.ID
	}
	for _, r := range batch {
		if err != nil {
			r.done <- insertRes{err: fmt.Errorf("insert webhook events: %w", err)}
			continue
		}
		key := [2]string{r.ev.Provider, r.ev.EventID}
		id, ok := ids[key]
		delete(ids, key)
		r.done <- insertRes{id: id, inserted: ok}
	}
}
