package metrics_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/metrics"
)

// TestFamilies: the families of the counters, the scrape-time collectors and the Go runtime
// are all listed, with their labels.
func TestFamilies(t *testing.T) {
	t.Parallel()
	f := metrics.Families()
	require.Equal(t, []string{"queue", "state"}, f["reflector_queue_depth"])
	require.Equal(t, []string{"platform", "outcome"}, f["reflector_presence_reads_total"])
	require.Contains(t, f, "reflector_webhook_inbox_lag_seconds")
	require.Empty(t, f["reflector_recordings_missing"])
	require.Contains(t, f, "reflector_http_request_duration_seconds")
	require.Contains(t, f, "go_goroutines")
}
