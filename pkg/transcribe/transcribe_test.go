package transcribe_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/transcribe"
	"github.com/monadical/reflector-go/pkg/transcribe/emulator"
)

func TestClientAgainstEmulator(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		emu    *emulator.Emulator
		client *transcribe.Client
	}
	setup := func(t *testing.T, key string) testBundle {
		t.Helper()
		emu := emulator.New(emulator.Options{APIKey: "secret"})
		srv := httptest.NewServer(emu)
		t.Cleanup(srv.Close)
		return testBundle{emu: emu, client: transcribe.New(transcribe.Config{
			BaseURL: srv.URL + "/v1/", APIKey: key, Model: "whisper-1",
		})}
	}

	t.Run("StreamsFileAndDecodesSegments", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "secret")
		audio := bytes.Repeat([]byte{1}, 3<<20)
		res, err := b.client.Transcribe(context.Background(), "track.webm", bytes.NewReader(audio))
		require.NoError(t, err)
		require.Len(t, res.Segments, 2)
		require.Equal(t, " Hello from track.webm.", res.Segments[0].Text)
		require.InDelta(t, 4.0, res.Duration, 0.001)
		require.Equal(t, []emulator.Upload{{Filename: "track.webm", Model: "whisper-1", Size: 3 << 20}}, b.emu.Uploads())
	})

	t.Run("WrongKeyIsPermanent", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "wrong")
		_, err := b.client.Transcribe(context.Background(), "a.wav", bytes.NewReader([]byte("x")))
		var he *transcribe.HTTPError
		require.ErrorAs(t, err, &he)
		require.Equal(t, http.StatusUnauthorized, he.Status)
		require.True(t, transcribe.IsPermanent(err))
	})

	t.Run("ServerErrorsAndRateLimitsAreRetryable", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "secret")
		b.emu.FailNext(http.StatusServiceUnavailable, http.StatusTooManyRequests)
		for range 2 {
			_, err := b.client.Transcribe(context.Background(), "a.wav", bytes.NewReader([]byte("x")))
			require.Error(t, err)
			require.False(t, transcribe.IsPermanent(err))
		}
		_, err := b.client.Transcribe(context.Background(), "a.wav", bytes.NewReader([]byte("x")))
		require.NoError(t, err)
	})
}
