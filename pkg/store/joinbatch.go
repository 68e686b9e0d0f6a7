package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
)

// Join handouts of one room that arrive while its previous handout statement runs are sent
// together as the next one (group commit). Every joiner of a busy room otherwise runs the
// same statement: the same room and meeting rows read, the same share lock taken on the one
// meeting row by many backends at once (a MultiXact per locker), one commit each. In a batch
// those costs are paid once, and only the intent and timeline rows are written per joiner.
// A batch answers every joiner alike, as if each had run the statement alone at that moment:
// the share lock still orders the batch against a deactivation in progress.

// maxJoinBatch bounds the joiners of one statement (its arrays and its answer time).
const maxJoinBatch = 256

// joinBatchTimeout bounds one batch statement, which no single joiner's context may cancel
// for the others.
const joinBatchTimeout = 30 * time.Second

// joinReq is one joiner waiting for a batch.
type joinReq struct {
	in        meeting.Intent
	ev        meeting.Event
	now       time.Time
	abandoned atomic.Bool // the joiner gave up before its batch was sent: leave it out
	done      chan joinRes
}

type joinRes struct {
	r   room.Room
	m   *meeting.Meeting
	err error
}

// joinBatches queues join handouts per room name and runs each room's queue one batch at a
// time; different rooms run in parallel. Each batch takes a pool turn first, and joiners
// who arrive while it waits for one still make that batch.
type joinBatches struct {
	turns turns
	run   func(ctx context.Context, roomName string, batch []*joinReq) joinRes
	sizes func(n int) // observes each batch's size (metrics, tests); may be nil

	mu    sync.Mutex
	rooms map[string][]*joinReq // queued joiners of rooms with a batch running
}

func newJoinBatches(t turns, run func(context.Context, string, []*joinReq) joinRes) *joinBatches {
	return &joinBatches{turns: t, run: run, rooms: map[string][]*joinReq{}}
}

// ObserveJoinBatches makes f hear the size of each join batch (the api's metrics). Call it
// before the store is used.
func (s MeetingStore) ObserveJoinBatches(f func(n int)) {
	if s.batches != nil {
		s.batches.sizes = f
	}
}

// join queues a handout for roomName and waits for its batch's answer.
func (b *joinBatches) join(ctx context.Context, roomName string, in meeting.Intent, ev meeting.Event, now time.Time) (room.Room, *meeting.Meeting, error) {
	req := &joinReq{in: in, ev: ev, now: now, done: make(chan joinRes, 1)}
	b.mu.Lock()
	q, running := b.rooms[roomName]
	b.rooms[roomName] = append(q, req)
	b.mu.Unlock()
	if !running {
		go b.drain(context.WithoutCancel(ctx), roomName)
	}
	select {
	case res := <-req.done:
		return res.r, res.m, res.err
	case <-ctx.Done():
		req.abandoned.Store(true)
		return room.Room{}, nil, ctx.Err()
	}
}

// drain runs the room's queue batch by batch until it is empty.
func (b *joinBatches) drain(ctx context.Context, roomName string) {
	for {
		if !b.once(ctx, roomName) {
			return
		}
	}
}

// once runs the room's next batch, if any, and reports whether it ran one.
func (b *joinBatches) once(ctx context.Context, roomName string) bool {
	ctx, cancel := context.WithTimeout(ctx, joinBatchTimeout)
	defer cancel()
	release, err := b.turns.wait(ctx)
	batch := b.next(roomName)
	if len(batch) == 0 {
		if err == nil {
			release()
		}
		return false
	}
	res := joinRes{err: fmt.Errorf("meeting for join: %w", err)}
	if err == nil {
		if b.sizes != nil {
			b.sizes(len(batch))
		}
		res = b.runSafely(ctx, roomName, batch)
		release()
	}
	for _, req := range batch {
		out := res
		if res.m != nil { // each joiner gets its own copy
			m := *res.m
			out.m = &m
		}
		req.done <- out
	}
	return true
}

// runSafely runs a batch and turns a panic into the batch's error: the batch runs outside
// every request's goroutine, where no recover middleware would catch it and the api would die.
func (b *joinBatches) runSafely(ctx context.Context, roomName string, batch []*joinReq) (res joinRes) {
	defer func() {
		if p := recover(); p != nil {
			res = joinRes{err: fmt.Errorf("meeting for join: batch of %d panicked: %v", len(batch), p)}
		}
	}()
	return b.run(ctx, roomName, batch)
}

// next takes the room's next batch off its queue: at most maxJoinBatch joiners, none that
// gave up, and one handout per connection id (an ON CONFLICT DO UPDATE may touch a row once
// per statement), the others staying queued. An empty batch removes the room's queue: the
// next joiner starts a new drain.
func (b *joinBatches) next(roomName string) []*joinReq {
	b.mu.Lock()
	defer b.mu.Unlock()
	var batch, rest []*joinReq
	seen := map[string]bool{}
	for _, req := range b.rooms[roomName] {
		switch {
		case req.abandoned.Load():
		case len(batch) == maxJoinBatch || seen[req.in.ConnectionID]:
			rest = append(rest, req)
		default:
			seen[req.in.ConnectionID] = true
			batch = append(batch, req)
		}
	}
	if len(batch) == 0 {
		delete(b.rooms, roomName)
		return nil
	}
	b.rooms[roomName] = rest
	return batch
}
