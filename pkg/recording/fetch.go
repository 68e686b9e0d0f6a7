package recording

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"go.uber.org/zap"
)

// ErrTruncated is returned when a download ends before its announced length.
var ErrTruncated = errors.New("recording: truncated download")

// fetch streams rec.SourceURL into rec.Bucket/rec.ObjectKey, retrying transient failures with
// a doubling pause. Each try is a fresh request and a fresh upload; a failed upload aborts
// its multipart upload, so no partial object is ever visible.
func (s *Service) fetch(ctx context.Context, rec Recording) (int64, error) {
	pause := s.cfg.RetryBackoff
	var last error
	for try := 1; try <= s.cfg.DownloadAttempts; try++ {
		size, err := s.fetchOnce(ctx, rec)
		if err == nil {
			return size, nil
		}
		if errors.Is(err, ErrPermanent) || ctx.Err() != nil {
			return 0, err
		}
		last = err
		s.log.Warn("download try failed", zap.Stringer("recording_id", rec.ID), zap.Int("try", try), zap.Error(err))
		if try < s.cfg.DownloadAttempts {
			if err := sleep(ctx, pause); err != nil {
				return 0, err
			}
			pause *= 2
		}
	}
	return 0, Permanent(fmt.Errorf("download failed after %d tries: %w", s.cfg.DownloadAttempts, last))
}

func (s *Service) fetchOnce(ctx context.Context, rec Recording) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rec.SourceURL, nil)
	if err != nil {
		return 0, Permanent(fmt.Errorf("source URL: %w", err))
	}
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET source: %w", err)
	}
	defer resp.Body.Close()
	if err := statusErr(resp.StatusCode); err != nil {
		return 0, err
	}
	body := &countingReader{r: resp.Body}
	size, err := s.cfg.Objects.Upload(ctx, rec.Bucket, rec.ObjectKey, body, resp.Header.Get("Content-Type"))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, fmt.Errorf("%w: got %d of %d bytes", ErrTruncated, body.n, resp.ContentLength)
		}
		return 0, fmt.Errorf("stream to storage: %w", err)
	}
	if resp.ContentLength >= 0 && size != resp.ContentLength {
		return 0, fmt.Errorf("%w: stored %d of %d bytes", ErrTruncated, size, resp.ContentLength)
	}
	return size, nil
}

// statusErr classifies the provider's answer: gone or forbidden links are permanent (an
// expired access link is answered 403), server errors and rate limits are worth a retry.
func statusErr(code int) error {
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests || code == http.StatusRequestTimeout || code >= 500:
		return fmt.Errorf("source answered %d", code)
	default:
		return Permanent(fmt.Errorf("source answered %d %s", code, http.StatusText(code)))
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
