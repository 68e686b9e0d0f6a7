package logging_test

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/logging"
)

// TestLogsAreRedacted: whatever carries a signed URL (message, error, string, stringer, a
// With field, asynq's sugared messages) loses its query string; the rest is unchanged.
func TestLogsAreRedacted(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.DebugLevel)
	log, err := logging.New(zapcore.DebugLevel, true, zap.WrapCore(func(zapcore.Core) zapcore.Core { return core }))
	require.NoError(t, err)
	const signed = "https://s3.example.com/b/k.webm?X-Amz-Credential=AKIA&X-Amz-Signature=deadbeef"
	u, err := url.Parse("https://cal.example.com/private-token/basic.ics?key=s3cret")
	require.NoError(t, err)
	var nilURL *url.URL

	log.With(zap.String("link", signed)).Warn("probe "+signed+" failed",
		zap.Error(fmt.Errorf("get: %w", errors.New(`Get "`+signed+`": 404`))),
		zap.Stringer("feed", u), zap.Stringer("nil", nilURL), zap.Int("n", 3))
	log.Sugar().Errorf("Retry exhausted for task: %v", errors.New(signed))

	all := logs.All()
	require.Len(t, all, 2)
	for _, e := range all {
		text := fmt.Sprint(e.Message, e.ContextMap())
		require.NotContains(t, text, "X-Amz", text)
		require.NotContains(t, text, "s3cret", text)
		require.Contains(t, text, "https://s3.example.com/b/k.webm")
	}
	require.Equal(t, int64(3), all[0].ContextMap()["n"])
	require.Equal(t, "https://cal.example.com/private-token/basic.ics", all[0].ContextMap()["feed"])
}
