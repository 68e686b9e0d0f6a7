package setup_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestDailyPollWithoutOurBucket: the Daily recordings poll (the fallback for lost
// ready-to-download webhooks) runs whenever Daily is configured: cloud recordings Daily keeps
// need no bucket of ours.
func TestDailyPollWithoutOurBucket(t *testing.T) {
	t.Parallel()
	cfg := apptest.Config()
	cfg.Recording.TranscriptionURL = "http://stt.test/v1"
	var iv tasks.Intervals
	setup.RecordingIntervals(cfg, &iv)
	require.Empty(t, cfg.Daily.BucketName)
	require.True(t, iv.RecordingDailyPoll)

	cfg.Daily.APIKey = ""
	iv = tasks.Intervals{}
	setup.RecordingIntervals(cfg, &iv)
	require.False(t, iv.RecordingDailyPoll, "no Daily, no poll")
}
