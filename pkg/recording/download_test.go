package recording_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/objstore"
	"github.com/monadical/reflector-go/pkg/recording"
)

// source serves a file; the first fail requests answer failStatus, or are cut short when
// failStatus is 0.
func source(t *testing.T, file string, fail int32, failStatus int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case r.URL.Path == "/missing.wav":
			http.NotFound(w, r)
		case n <= fail && failStatus != 0:
			w.WriteHeader(failStatus)
		case n <= fail:
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			_, _ = w.Write(data[:len(data)/2]) // the handler returns: the connection is cut
		default:
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			_, _ = w.Write(data)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestDownloadRecording(t *testing.T) {
	t.Parallel()

	create := func(t *testing.T, b *testBundle, url string) recording.Recording {
		t.Helper()
		b.meeting(t, meetingOpts{platform: "whereby", roomName: "/dl"})
		rec, err := b.svc.CreateFromURL(b.ctx, recording.URLRecording{Platform: "whereby", ProviderRecordingID: "p-" + url,
			ProviderRoomName: "/dl", SourceURL: url, RecordedAt: b.clock.Now()})
		require.NoError(t, err)
		require.Equal(t, recording.StatusPending, rec.Status)
		require.Equal(t, []uuid.UUID{rec.ID}, b.jobs.downloads)
		return rec
	}
	requireNoObject := func(t *testing.T, b *testBundle, rec recording.Recording) {
		t.Helper()
		_, _, err := b.s3.Store.Open(b.ctx, rec.Bucket, rec.ObjectKey)
		require.ErrorIs(t, err, objstore.ErrNotFound)
	}

	t.Run("StreamsChecksAndHandsOff", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		srv, _ := source(t, media(t, "a.wav", true), 1, http.StatusServiceUnavailable)
		rec := create(t, b, srv.URL+"/rec.wav")
		require.NoError(t, b.svc.DownloadRecording(b.ctx, rec.ID))
		got, err := b.st.RecordingByID(b.ctx, rec.ID)
		require.NoError(t, err)
		require.Equal(t, recording.StatusStored, got.Status)
		require.Positive(t, got.SizeBytes)
		require.Equal(t, 1, got.Attempts)
		require.Contains(t, got.ObjectKey, ".wav")
		require.Len(t, b.jobs.queuedTranscripts(), 1)
		// A repeated task does nothing.
		require.NoError(t, b.svc.DownloadRecording(b.ctx, rec.ID))
	})

	t.Run("NotFoundFailsWithoutRetry", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		srv, calls := source(t, media(t, "a.wav", true), 0, 0)
		rec := create(t, b, srv.URL+"/missing.wav")
		err := b.svc.DownloadRecording(b.ctx, rec.ID)
		require.ErrorIs(t, err, recording.ErrPermanent)
		require.EqualValues(t, 1, calls.Load())
		got, _ := b.st.RecordingByID(b.ctx, rec.ID)
		require.Equal(t, recording.StatusFailed, got.Status)
		require.Contains(t, got.LastError, "404")
		requireNoObject(t, b, rec)
	})

	t.Run("TruncatedEveryTimeFailsAfterBoundedTries", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		srv, calls := source(t, media(t, "a.wav", true), 100, 0)
		rec := create(t, b, srv.URL+"/rec.wav")
		err := b.svc.DownloadRecording(b.ctx, rec.ID)
		require.ErrorIs(t, err, recording.ErrPermanent)
		require.ErrorIs(t, err, recording.ErrTruncated)
		require.EqualValues(t, 3, calls.Load())
		got, _ := b.st.RecordingByID(b.ctx, rec.ID)
		require.Equal(t, recording.StatusFailed, got.Status)
		require.Contains(t, got.LastError, "truncated")
		requireNoObject(t, b, rec)
	})

	t.Run("TruncatedOnceRestartsCleanly", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		srv, calls := source(t, media(t, "a.wav", true), 1, 0)
		rec := create(t, b, srv.URL+"/rec.wav")
		require.NoError(t, b.svc.DownloadRecording(b.ctx, rec.ID))
		require.EqualValues(t, 2, calls.Load())
	})

	t.Run("NoAudioFailsAndRemovesObject", func(t *testing.T) {
		t.Parallel()
		b := setup(t, setupOpts{})
		srv, _ := source(t, media(t, "v.mp4", false), 0, 0)
		rec := create(t, b, srv.URL+"/rec.mp4")
		err := b.svc.DownloadRecording(b.ctx, rec.ID)
		require.ErrorIs(t, err, recording.ErrNoAudio)
		got, _ := b.st.RecordingByID(b.ctx, rec.ID)
		require.Equal(t, recording.StatusFailed, got.Status)
		requireNoObject(t, b, rec)
		require.Empty(t, b.jobs.queuedTranscripts())
	})
}
