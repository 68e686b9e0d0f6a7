package meeting

import (
	"context"
	"sync"
)

// flights runs one function per key at a time: callers with the same key while it runs wait
// for its result instead of running it again (1,000 first joiners of a room make one provider
// call per process). The function runs detached from the first caller's cancellation, bounded
// by createTimeout, so a client that hangs up does not fail the others.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	err  error
}

func (f *flights) do(ctx context.Context, key string, fn func(context.Context) error) error {
	f.mu.Lock()
	c, ok := f.m[key]
	if !ok {
		if f.m == nil {
			f.m = map[string]*flight{}
		}
		c = &flight{done: make(chan struct{})}
		f.m[key] = c
		go f.run(context.WithoutCancel(ctx), key, c, fn)
	}
	f.mu.Unlock()
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *flights) run(ctx context.Context, key string, c *flight, fn func(context.Context) error) {
	ctx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()
	c.err = fn(ctx)
	f.mu.Lock()
	delete(f.m, key)
	f.mu.Unlock()
	close(c.done)
}
