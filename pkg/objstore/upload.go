package objstore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"go.uber.org/zap"
)

// abortTimeout bounds the clean-up of a failed multipart upload, which runs even when the
// caller's context is already cancelled.
const abortTimeout = 30 * time.Second

// Upload streams r into bucket/key and returns the number of bytes written. A body smaller
// than one part is a single PUT; a larger one is a multipart upload holding at most
// Concurrency+1 part buffers. The object becomes visible only when the upload completes; on
// any failure (including a read error from r) the multipart upload is aborted, so nothing
// half-written is ever visible.
func (s *Store) Upload(ctx context.Context, bucket, key string, r io.Reader, contentType string) (int64, error) {
	r = sourceReader{r}
	first := s.bufs.get()
	n, err := io.ReadFull(r, first)
	switch {
	case isShortRead(err):
		defer s.bufs.put(first)
		return s.putSingle(ctx, bucket, key, first[:n], contentType)
	case err != nil:
		s.bufs.put(first)
		return 0, fmt.Errorf("objstore.Upload %s/%s: read: %w", bucket, key, err)
	}
	size, err := s.multipart(ctx, bucket, key, r, first, contentType)
	if err != nil {
		return 0, fmt.Errorf("objstore.Upload %s/%s: %w", bucket, key, err)
	}
	return size, nil
}

func (s *Store) putSingle(ctx context.Context, bucket, key string, body []byte, contentType string) (int64, error) {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &bucket, Key: &key, Body: bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))), ContentType: optional(contentType),
	}, unsignedPayload)
	if err != nil {
		return 0, fmt.Errorf("objstore.Upload %s/%s: put: %w", bucket, key, err)
	}
	return int64(len(body)), nil
}

// unsignedPayload skips hashing every part for the signature: TLS protects the body in
// transit and hashing costs a CPU pass over every byte.
func unsignedPayload(o *s3.Options) {
	o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// sourceReader hides an io.ErrUnexpectedEOF of the source (a truncated HTTP body) behind a
// wrapper, so it cannot be mistaken for io.ReadFull's own "stream ended inside this part".
type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.ErrUnexpectedEOF { //nolint:errorlint // exact sentinel from the source
		err = fmt.Errorf("source: %w", err)
	}
	return n, err
}

// isShortRead reports whether io.ReadFull stopped because the stream ended cleanly.
func isShortRead(err error) bool {
	return err == io.EOF || err == io.ErrUnexpectedEOF //nolint:errorlint // io.ReadFull's own sentinels
}

// part is one chunk of the stream on its way to UploadPart.
type part struct {
	num int32
	buf []byte
}

// multipartRun holds the state of one multipart upload.
type multipartRun struct {
	s             *Store
	bucket, key   string
	id            string
	mu            sync.Mutex
	done          []types.CompletedPart
	firstErr      error
	cancel        context.CancelFunc
	free          chan []byte
	owned         [][]byte // every buffer this upload took from the pool
	maxBufs       int
	size          int64
	partsInFlight sync.WaitGroup
}

func (s *Store) multipart(ctx context.Context, bucket, key string, r io.Reader, first []byte, contentType string) (int64, error) {
	out, err := s.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: &bucket, Key: &key, ContentType: optional(contentType),
	})
	if err != nil {
		return 0, fmt.Errorf("create multipart: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := &multipartRun{
		s: s, bucket: bucket, key: key, id: aws.ToString(out.UploadId), cancel: cancel,
		free: make(chan []byte, s.concurrency+1), owned: [][]byte{first}, maxBufs: s.concurrency + 1,
	}
	defer func() { s.bufs.put(m.owned...) }()
	if err := m.run(ctx, r, first); err != nil {
		m.abort(ctx)
		return 0, err
	}
	return m.size, nil
}

// run feeds parts to Concurrency workers, then completes the upload.
func (m *multipartRun) run(ctx context.Context, r io.Reader, first []byte) error {
	parts := make(chan part)
	for range m.s.concurrency {
		m.partsInFlight.Add(1)
		go m.worker(ctx, parts)
	}
	readErr := m.feed(ctx, r, first, parts)
	if readErr != nil {
		m.cancel() // stop the parts in flight: this upload will be aborted
	}
	close(parts)
	m.partsInFlight.Wait()
	if readErr != nil {
		return readErr
	}
	if err := m.err(); err != nil {
		return err
	}
	return m.complete(ctx)
}

// feed reads the stream part by part; it stops at EOF, on a read error or when a worker failed.
func (m *multipartRun) feed(ctx context.Context, r io.Reader, buf []byte, parts chan<- part) error {
	for num := int32(1); ; num++ {
		m.size += int64(len(buf))
		select {
		case parts <- part{num: num, buf: buf}:
		case <-ctx.Done():
			return nil // a worker failed (or the caller gave up); run reports why
		}
		next, err := m.buffer(ctx)
		if err != nil {
			return nil //nolint:nilerr // only a canceled ctx fails here; run reports why
		}
		n, err := io.ReadFull(r, next)
		if err == io.EOF { //nolint:errorlint // io.ReadFull's own sentinel: the stream ended cleanly
			return nil
		}
		if err != nil && !isShortRead(err) {
			return fmt.Errorf("read part %d: %w", num+1, err)
		}
		buf = next[:n]
		if n < len(next) {
			m.size += int64(n)
			select {
			case parts <- part{num: num + 1, buf: buf}:
			case <-ctx.Done():
			}
			return nil
		}
	}
}

// buffer returns a free part buffer, allocating up to maxBufs of them.
func (m *multipartRun) buffer(ctx context.Context) ([]byte, error) {
	select {
	case b := <-m.free:
		return b[:cap(b)], nil
	default:
	}
	if len(m.owned) < m.maxBufs {
		b := m.s.bufs.get()
		m.owned = append(m.owned, b)
		return b, nil
	}
	select {
	case b := <-m.free:
		return b[:cap(b)], nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (m *multipartRun) worker(ctx context.Context, parts <-chan part) {
	defer m.partsInFlight.Done()
	for p := range parts {
		if m.err() == nil {
			m.upload(ctx, p)
		}
		m.free <- p.buf
	}
}

func (m *multipartRun) upload(ctx context.Context, p part) {
	out, err := m.s.client.UploadPart(ctx, &s3.UploadPartInput{
		Bucket: &m.bucket, Key: &m.key, UploadId: &m.id, PartNumber: aws.Int32(p.num),
		Body: bytes.NewReader(p.buf), ContentLength: aws.Int64(int64(len(p.buf))),
	}, unsignedPayload)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		if m.firstErr == nil {
			m.firstErr = fmt.Errorf("upload part %d: %w", p.num, err)
			m.cancel()
		}
		return
	}
	m.done = append(m.done, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(p.num)})
}

func (m *multipartRun) err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.firstErr != nil {
		return m.firstErr
	}
	return nil
}

func (m *multipartRun) complete(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sort.Slice(m.done, func(i, j int) bool { return *m.done[i].PartNumber < *m.done[j].PartNumber })
	_, err := m.s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: &m.bucket, Key: &m.key, UploadId: &m.id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: m.done},
	})
	if err != nil {
		return fmt.Errorf("complete multipart: %w", err)
	}
	return nil
}

// abort discards the uploaded parts, even when ctx is already cancelled.
func (m *multipartRun) abort(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
	defer cancel()
	_, err := m.s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: &m.bucket, Key: &m.key, UploadId: &m.id,
	})
	if err != nil {
		m.s.log.Warn("abort multipart upload", zap.String("bucket", m.bucket),
			zap.String("key", m.key), zap.Error(err))
	}
}
