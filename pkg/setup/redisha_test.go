package setup

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

// freePort is a loopback port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startRedis runs a redis-server of its own (scripts/redis.sh installs it) with args, in a
// temporary directory, until the test ends, and returns its port.
func startRedis(t *testing.T, args ...string) int {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server is needed (scripts/redis.sh install)")
	port, dir := freePort(t), t.TempDir()
	args = append(args, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	cmd := exec.Command(bin, args...)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	rc := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	defer rc.Close()
	require.Eventually(t, func() bool { return rc.Ping(context.Background()).Err() == nil }, 10*time.Second, 20*time.Millisecond)
	return port
}

// startSentinel runs a Redis and one Sentinel watching it as master "mymaster".
func startSentinel(t *testing.T) int {
	t.Helper()
	master := startRedis(t)
	conf := filepath.Join(t.TempDir(), "sentinel.conf")
	require.NoError(t, os.WriteFile(conf, fmt.Appendf(nil, "sentinel monitor mymaster 127.0.0.1 %d 1\n", master), 0o600))
	return startRedis(t, conf, "--sentinel")
}

// startCluster runs a one-node Redis Cluster holding every slot.
func startCluster(t *testing.T) int {
	t.Helper()
	port := startRedis(t, "--cluster-enabled", "yes")
	rc := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	defer rc.Close()
	ctx := context.Background()
	require.NoError(t, rc.ClusterAddSlotsRange(ctx, 0, 16383).Err())
	require.Eventually(t, func() bool {
		info, err := rc.ClusterInfo(ctx).Result()
		return err == nil && strings.Contains(info, "cluster_state:ok")
	}, 10*time.Second, 50*time.Millisecond)
	return port
}

// TestSentinelAndClusterURLs: through a Sentinel URL and a Cluster URL, the fast client
// pings, enqueues and inspects, and a worker server on the same options runs the task.
func TestSentinelAndClusterURLs(t *testing.T) {
	t.Parallel()
	for name, start := range map[string]func(*testing.T) string{
		"sentinel": func(t *testing.T) string {
			return fmt.Sprintf("redis-sentinel://127.0.0.1:%d?master=mymaster", startSentinel(t))
		},
		"cluster": func(t *testing.T) string { return fmt.Sprintf("redis-cluster://127.0.0.1:%d", startCluster(t)) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opt, err := RedisOpt(start(t))
			require.NoError(t, err)
			rc := fastRedis(opt)
			defer rc.Close()
			ctx := context.Background()
			require.NoError(t, rc.Ping(ctx).Err())
			q := asynq.NewClientFromRedisClient(rc)
			_, err = q.EnqueueContext(ctx, asynq.NewTask("ha:probe", []byte(name)), asynq.Queue("critical"))
			require.NoError(t, err)
			info, err := asynq.NewInspectorFromRedisClient(rc).GetQueueInfo("critical")
			require.NoError(t, err)
			require.Equal(t, 1, info.Size)

			ran := make(chan string, 1)
			srv := WorkerServer(opt, 1, 3*time.Second, zap.NewNop())
			mux := asynq.NewServeMux()
			mux.HandleFunc("ha:probe", func(_ context.Context, task *asynq.Task) error {
				ran <- string(task.Payload())
				return nil
			})
			require.NoError(t, srv.Start(mux))
			defer srv.Shutdown()
			select {
			case got := <-ran:
				require.Equal(t, name, got)
			case <-time.After(30 * time.Second):
				t.Fatal("the worker did not run the task")
			}
		})
	}
}
