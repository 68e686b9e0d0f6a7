package recording

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"go.uber.org/zap"
)

// ErrTruncated is returned when a download ends before its announced length.
var ErrTruncated = errors.New("recording: truncated download")

// Downloader streams a provider link into object storage. Memory is bounded by the upload's
// part buffers, whatever the file size.
type Downloader struct {
	HTTP    *http.Client
	Objects Objects
	// Attempts bounds the tries (at least 1); Backoff is the first pause, doubled each time.
	Attempts int
	Backoff  time.Duration
	Logger   *zap.Logger
}

// Fetch streams sourceURL into bucket/key, retrying transient failures. Each try is a fresh
// request and a fresh upload; a failed upload aborts its multipart upload, so no partial
// object is ever visible. A 4xx answer, or running out of tries, is a permanent error.
func (d Downloader) Fetch(ctx context.Context, sourceURL, bucket, key string) (int64, error) {
	pause := d.Backoff
	var last error
	attempts := max(d.Attempts, 1)
	for try := 1; try <= attempts; try++ {
		size, err := d.fetchOnce(ctx, sourceURL, bucket, key)
		if err == nil {
			return size, nil
		}
		if errors.Is(err, ErrPermanent) || ctx.Err() != nil {
			return 0, err
		}
		last = err
		d.Logger.Warn("download try failed", zap.String("key", key), zap.Int("try", try), zap.Error(err))
		if try < attempts {
			if err := sleep(ctx, pause); err != nil {
				return 0, err
			}
			pause *= 2
		}
	}
	return 0, Permanent(fmt.Errorf("download failed after %d tries: %w", attempts, last))
}

func (d Downloader) fetchOnce(ctx context.Context, sourceURL, bucket, key string) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, sourceURL, nil)
	if err != nil {
		return 0, Permanent(fmt.Errorf("source URL: %w", err))
	}
	resp, err := d.HTTP.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET source: %w", withoutQuery(err))
	}
	defer resp.Body.Close()
	if err := statusErr(resp.StatusCode); err != nil {
		return 0, err
	}
	body := &countingReader{r: resp.Body}
	size, err := d.Objects.Upload(ctx, bucket, key, body, resp.Header.Get("Content-Type"))
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

// withoutQuery drops the query of the URL an HTTP error names: provider access links carry
// their signature there, and errors end up in logs and in recording.last_error.
func withoutQuery(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	if u, perr := url.Parse(ue.URL); perr == nil {
		u.RawQuery, u.Fragment, u.User = "", "", nil
		return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
	}
	return &url.Error{Op: ue.Op, URL: "(source)", Err: ue.Err}
}
