package ratelimit_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/ratelimit"
)

// The bench's write limit (scripts/bench.sh): leases of 64 tokens.
const hugePerMinute, hugeBurst = 100_000_000, 10_000_000

// evals is a go-redis hook recording how many tokens each limit script asked for.
type evals struct {
	mu   sync.Mutex
	asks []int
	hold func(n int) // when set, runs before each script call is sent
}

func (h *evals) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *evals) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func (h *evals) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() != "evalsha" && cmd.Name() != "eval" {
			return next(ctx, cmd)
		}
		args := cmd.Args()
		n, _ := strconv.Atoi(fmt.Sprint(args[len(args)-1]))
		h.mu.Lock()
		hold := h.hold
		h.mu.Unlock()
		if hold != nil {
			hold(n)
		}
		err := next(ctx, cmd)
		if !redis.HasErrorPrefix(err, "NOSCRIPT") { // go-redis then sends the script itself
			h.mu.Lock()
			h.asks = append(h.asks, n)
			h.mu.Unlock()
		}
		return err
	}
}

// holdFirstLease holds the first lease request (asking more than one token) before it is
// sent, closing sent, until release is closed.
func (h *evals) holdFirstLease() (sent, release chan struct{}) {
	sent, release = make(chan struct{}), make(chan struct{})
	var held atomic.Bool
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hold = func(n int) {
		if n > 1 && !held.Swap(true) {
			close(sent)
			<-release
		}
	}
	return sent, release
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// calls returns the asks recorded so far.
func (h *evals) calls() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int(nil), h.asks...)
}

// counted is a Shared on a fresh Redis database whose script calls h records; its lease
// clock stands still unless the test moves it.
func counted(t *testing.T, opt redis.Options) (*ratelimit.Shared, *evals, *time.Time) {
	t.Helper()
	c := client(t, opt.Addr, opt.DB)
	h := &evals{}
	c.AddHook(h)
	s := ratelimit.New(c, zap.NewNop())
	now := time.Now()
	s.SetNow(func() time.Time { return now })
	return s, h, &now
}

func redisOpt(t *testing.T) redis.Options {
	t.Helper()
	o := apptest.RedisDB(t)
	return redis.Options{Addr: o.Addr, DB: o.DB}
}

func allowN(t *testing.T, b ratelimit.Bucket, key string, n int) (allowed int) {
	t.Helper()
	for range n {
		ok, err := b.AllowContext(context.Background(), key)
		require.NoError(t, err)
		if ok {
			allowed++
		}
	}
	return allowed
}

// TestLeaseSpendsOneRedisCallPerLease: under a limit far above the load, N checks of one
// client make N/L Redis calls, each asking for L tokens.
func TestLeaseSpendsOneRedisCallPerLease(t *testing.T) {
	t.Parallel()
	s, h, _ := counted(t, redisOpt(t))
	b := s.Bucket("writes", hugePerMinute, hugeBurst)
	require.Equal(t, 64, b.LeaseSize())
	require.Equal(t, 640, allowN(t, b, "10.0.0.1", 640))
	calls := h.calls()
	require.Len(t, calls, 10, "one Redis call per 64 checks")
	for _, n := range calls {
		require.Equal(t, 64, n)
	}
}

// TestDefaultLimitAsksRedisEveryRequest: at the api's default write limit (300 a minute) a
// lease would be 1 token: every check asks Redis for one, as before leases.
func TestDefaultLimitAsksRedisEveryRequest(t *testing.T) {
	t.Parallel()
	s, h, _ := counted(t, redisOpt(t))
	b := s.Bucket("writes", 300, 60)
	require.Equal(t, 1, b.LeaseSize())
	require.Equal(t, 1, s.Bucket("writes", 2399, 60).LeaseSize(), "2,400 a minute is the first limit that leases")
	require.Equal(t, 20, allowN(t, b, "10.0.0.1", 20))
	require.Equal(t, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, h.calls())
	require.Equal(t, 0, s.Leases(), "no lease is kept")
}

// TestLeasedTokensExpire: tokens of a lease not spent within LeaseWindow are not spent later;
// the next check asks Redis again, and expired leases are dropped.
func TestLeasedTokensExpire(t *testing.T) {
	t.Parallel()
	s, h, now := counted(t, redisOpt(t))
	b := s.Bucket("writes", hugePerMinute, hugeBurst)
	require.Equal(t, 2, allowN(t, b, "10.0.0.1", 2))
	require.Len(t, h.calls(), 1, "the second check spends the lease")
	*now = now.Add(ratelimit.LeaseWindow)
	require.Equal(t, 1, allowN(t, b, "10.0.0.1", 1))
	require.Len(t, h.calls(), 2, "a lease LeaseWindow old is not spent")

	allowN(t, b, "10.0.0.2", 1)
	allowN(t, b, "10.0.0.3", 1)
	require.Equal(t, 3, s.Leases())
	*now = now.Add(ratelimit.LeaseWindow)
	allowN(t, b, "10.0.0.4", 1)
	require.Equal(t, 1, s.Leases(), "expired leases are dropped when a new one is taken")
}

// TestLeasesKeepTheLimitAcrossReplicas: two replicas (two Shared on one Redis), each checking
// one client from four goroutines, allow together at most the burst, what the limit accrued
// meanwhile and L-1 per replica, and at least the burst less the tokens left leased.
func TestLeasesKeepTheLimitAcrossReplicas(t *testing.T) {
	t.Parallel()
	const perMinute, burst, goroutines, checks = 9600, 40, 4, 100
	opt := redisOpt(t)
	var replicas [2]ratelimit.Bucket
	for i := range replicas {
		s, _, _ := counted(t, opt) // clocks stand still: leases never expire
		replicas[i] = s.Bucket("writes", perMinute, burst)
	}
	lease := replicas[0].LeaseSize()
	require.Equal(t, 8, lease)
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 2 * goroutines {
		wg.Go(func() {
			n := allowN(t, replicas[i%2], "10.0.0.1", checks)
			mu.Lock()
			allowed += n
			mu.Unlock()
		})
	}
	wg.Wait()
	accrued := int(time.Since(start).Seconds()*perMinute/60) + 1
	require.LessOrEqual(t, allowed, burst+accrued, "the replicas spend only what Redis granted")
	require.GreaterOrEqual(t, allowed, burst-2*(lease-1), "only tokens still leased go unspent")
}

// TestOneLeaseRequestInFlight: while a lease request of a key is in flight, other checks of
// the key wait for it and spend its tokens rather than each calling Redis.
func TestOneLeaseRequestInFlight(t *testing.T) {
	t.Parallel()
	const others = 10
	s, h, _ := counted(t, redisOpt(t))
	b := s.Bucket("writes", hugePerMinute, hugeBurst)
	sent, release := h.holdFirstLease()
	var allowed atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() { allowed.Add(int64(allowN(t, b, "10.0.0.1", 1))) })
	require.Eventually(t, func() bool { return isClosed(sent) }, 10*time.Second, time.Millisecond, "no lease request")
	for range others {
		wg.Go(func() { allowed.Add(int64(allowN(t, b, "10.0.0.1", 1))) })
	}
	assert.Eventually(t, func() bool { return s.Waiting() == others }, 10*time.Second, time.Millisecond)
	close(release)
	wg.Wait()
	require.EqualValues(t, 1+others, allowed.Load())
	require.Equal(t, []int{64}, h.calls())
}

// TestWaitersShareTheAnswer: checks waiting for a lease request get its first tokens; when
// Redis grants it fewer than asked, those left over are refused, and when it fails all are let
// through with the error, without more Redis calls.
func TestWaitersShareTheAnswer(t *testing.T) {
	t.Parallel()
	const others = 5
	for _, tc := range []struct {
		name    string
		redis   func(t *testing.T) redis.Options
		allowed int
	}{
		{"fewer than asked", redisOpt, 3}, // the burst
		{"Redis down", func(*testing.T) redis.Options { return redis.Options{Addr: "127.0.0.1:18299"} }, 1 + others},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, h, _ := counted(t, tc.redis(t))
			b := s.Bucket("writes", 1, 3).WithLease(8) // three tokens, then none for 20 s
			sent, release := h.holdFirstLease()
			var allowed atomic.Int64
			var wg sync.WaitGroup
			check := func() {
				if ok, _ := b.AllowContext(context.Background(), "10.0.0.1"); ok {
					allowed.Add(1)
				}
			}
			wg.Go(check)
			require.Eventually(t, func() bool { return isClosed(sent) }, 10*time.Second, time.Millisecond, "no lease request")
			for range others {
				wg.Go(check)
			}
			assert.Eventually(t, func() bool { return s.Waiting() == others }, 10*time.Second, time.Millisecond)
			close(release)
			wg.Wait()
			require.EqualValues(t, tc.allowed, allowed.Load())
			require.Len(t, h.calls(), 1, "one Redis call for the waiters")
		})
	}
}
