package objstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/objstore"
	"github.com/monadical/reflector-go/pkg/objstore/objstoretest"
)

const bucket = "rec"

func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, uint64(n)))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// failingReader returns data, then fails.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, f.err
	}
	return n, err
}

func TestUpload(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		fake *objstoretest.Fake
		ctx  context.Context
	}
	setup := func(t *testing.T) testBundle {
		t.Helper()
		fake := objstoretest.New(t, objstoretest.Options{
			Buckets: []string{bucket}, Store: objstore.Options{PartSize: 5 << 20, Concurrency: 2},
		})
		return testBundle{fake: fake, ctx: context.Background()}
	}
	readBack := func(t *testing.T, b testBundle, key string) []byte {
		t.Helper()
		rc, _, err := b.fake.Store.Open(b.ctx, bucket, key)
		require.NoError(t, err)
		defer rc.Close()
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		return got
	}

	for _, size := range []int{0, 1000, 5 << 20, 5<<20 + 1, 12<<20 + 77} {
		t.Run("RoundTripsBytes", func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			data := randomBytes(size)
			n, err := b.fake.Store.Upload(b.ctx, bucket, "k", bytes.NewReader(data), "audio/wav")
			require.NoError(t, err)
			require.Equal(t, int64(size), n)
			require.Equal(t, data, readBack(t, b, "k"))
		})
	}

	t.Run("ReadFailureAbortsAndLeavesNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		boom := errors.New("connection reset")
		r := &failingReader{r: bytes.NewReader(randomBytes(11 << 20)), err: boom}
		_, err := b.fake.Store.Upload(b.ctx, bucket, "half", r, "")
		require.ErrorIs(t, err, boom)

		_, err = b.fake.Store.Size(b.ctx, bucket, "half")
		require.ErrorIs(t, err, objstore.ErrNotFound)
		ups, err := b.fake.Client.ListMultipartUploads(b.ctx, &s3.ListMultipartUploadsInput{Bucket: new(bucket)})
		require.NoError(t, err)
		require.Empty(t, ups.Uploads, "the failed multipart upload is aborted")
	})

	t.Run("CancelledContextAborts", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx, cancel := context.WithCancel(b.ctx)
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write(randomBytes(6 << 20))
			cancel()
			_ = pw.CloseWithError(context.Canceled)
		}()
		_, err := b.fake.Store.Upload(ctx, bucket, "cancelled", pr, "")
		require.Error(t, err)
		_, err = b.fake.Store.Size(b.ctx, bucket, "cancelled")
		require.ErrorIs(t, err, objstore.ErrNotFound)
	})
}

func TestStoreObjects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := objstoretest.New(t, objstoretest.Options{Buckets: []string{bucket}})

	t.Run("OpenMissingIsNotFound", func(t *testing.T) {
		t.Parallel()
		_, _, err := fake.Store.Open(ctx, bucket, "missing")
		require.ErrorIs(t, err, objstore.ErrNotFound)
	})
	t.Run("DeleteIsIdempotent", func(t *testing.T) {
		t.Parallel()
		_, err := fake.Store.Upload(ctx, bucket, "del/x", bytes.NewReader([]byte("x")), "")
		require.NoError(t, err)
		require.NoError(t, fake.Store.Delete(ctx, bucket, "del/x"))
		require.NoError(t, fake.Store.Delete(ctx, bucket, "del/x"))
		_, err = fake.Store.Size(ctx, bucket, "del/x")
		require.ErrorIs(t, err, objstore.ErrNotFound)
	})
	t.Run("ListWalksPrefix", func(t *testing.T) {
		t.Parallel()
		for _, k := range []string{"list/b", "list/a", "other/c"} {
			_, err := fake.Store.Upload(ctx, bucket, k, bytes.NewReader([]byte(k)), "")
			require.NoError(t, err)
		}
		var keys []string
		require.NoError(t, fake.Store.List(ctx, bucket, "list/", func(k string) error {
			keys = append(keys, k)
			return nil
		}))
		require.Equal(t, []string{"list/a", "list/b"}, keys)
	})
	t.Run("PresignedURLReads", func(t *testing.T) {
		t.Parallel()
		_, err := fake.Store.Upload(ctx, bucket, "p/x", bytes.NewReader([]byte("hello")), "")
		require.NoError(t, err)
		u, err := fake.Store.PresignGet(ctx, bucket, "p/x", time.Minute)
		require.NoError(t, err)
		require.Contains(t, u, fake.Server.URL)
	})
}

func TestDiscardBackendCountsMultipart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	backend := objstoretest.NewDiscardBackend()
	fake := objstoretest.New(t, objstoretest.Options{
		Backend: backend, Buckets: []string{bucket}, Store: objstore.Options{PartSize: 5 << 20},
	})
	n, err := fake.Store.Upload(ctx, bucket, "big", bytes.NewReader(randomBytes(11<<20)), "")
	require.NoError(t, err)
	size, ok := backend.CompletedSize(bucket, "big")
	require.True(t, ok)
	require.Equal(t, n, size)
	require.Zero(t, backend.Pending())
}

func TestUploadTruncatedSourceWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := objstoretest.New(t, objstoretest.Options{Buckets: []string{bucket}})
	for _, size := range []int{100, 9 << 20} {
		r := &failingReader{r: bytes.NewReader(randomBytes(size)), err: io.ErrUnexpectedEOF}
		_, err := fake.Store.Upload(ctx, bucket, "trunc", r, "")
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		_, err = fake.Store.Size(ctx, bucket, "trunc")
		require.ErrorIs(t, err, objstore.ErrNotFound, "size %d", size)
	}
}
