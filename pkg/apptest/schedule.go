package apptest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// Scheduled loads a configuration from env laid over a minimal valid one (database, Redis and
// a Daily key) and reports whether the scheduler's table, as the binary builds it, has the
// periodic job typ. A key set to "" in env removes it from the base.
func Scheduled(t testing.TB, env map[string]string, typ string) (tasks.Periodic, bool) {
	t.Helper()
	all := map[string]string{"DATABASE_URL": "postgres://x", "REDIS_URL": "redis://x", "DAILY_API_KEY": "k"}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.Load(func(k string) string { return all[k] })
	require.NoError(t, err)
	return tasks.Find(setup.Schedule(cfg), typ)
}
