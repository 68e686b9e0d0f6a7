package config_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/config"
)

func TestRecordingConfig(t *testing.T) {
	t.Parallel()

	t.Run("DisabledWithoutTranscriptionURL", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, nil)
		require.NoError(t, err)
		require.False(t, c.Recording.Enabled())
		require.False(t, c.Recording.S3PathStyle())
	})

	t.Run("EnabledWithEndpointOverride", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, map[string]string{"TRANSCRIPTION_URL": "http://stt:1252/stt/v1",
			"TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL": "http://s3:9000", "TRANSCRIPTION_API_KEY": "secret"})
		require.NoError(t, err)
		require.True(t, c.Recording.Enabled())
		require.True(t, c.Recording.S3PathStyle())
		require.NotContains(t, fmt.Sprint(c.Redacted()["recording"]), "secret")
	})

	t.Run("BadURLsNameTheVariable", func(t *testing.T) {
		t.Parallel()
		for _, key := range []string{"TRANSCRIPTION_URL", "TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL",
			"AWS_SQS_ENDPOINT_URL", "AWS_PROCESS_RECORDING_QUEUE_URL"} {
			_, err := load(t, map[string]string{key: "not a url"})
			var ce *config.Error
			require.True(t, errors.As(err, &ce), key)
			require.Equal(t, key, ce.Var)
		}
	})
}
