// Package transcribe is a client for an OpenAI-compatible speech-to-text endpoint
// (POST {base}/audio/transcriptions, multipart file + model, Bearer key, verbose_json).
// The audio is streamed into the request body, so memory does not grow with the file.
package transcribe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
)

// Config says where and how to transcribe.
type Config struct {
	BaseURL  string // e.g. https://api.openai.com/v1
	APIKey   string
	Model    string // e.g. whisper-1
	Language string // optional ISO-639-1 hint
	// HTTPClient defaults to a client without a timeout: the context bounds a request,
	// and long recordings take minutes.
	HTTPClient *http.Client
}

// Segment is one timed piece of text, in seconds from the start of the audio.
type Segment struct {
	ID    int     `json:"id"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Text  string  `json:"text"`
}

// Result is a verbose_json transcription.
type Result struct {
	Text     string    `json:"text"`
	Language string    `json:"language"`
	Duration float64   `json:"duration"`
	Segments []Segment `json:"segments"`
}

// HTTPError is a non-2xx answer from the endpoint.
type HTTPError struct {
	Status int
	Body   string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("transcribe: endpoint answered %d: %s", e.Status, e.Body)
}

// Permanent reports whether retrying the same request cannot help: a 4xx other than
// 408 (timeout) and 429 (rate limit).
func (e *HTTPError) Permanent() bool {
	return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusRequestTimeout &&
		e.Status != http.StatusTooManyRequests
}

// IsPermanent reports whether err is an endpoint answer that a retry cannot fix.
func IsPermanent(err error) bool {
	var he *HTTPError
	return errors.As(err, &he) && he.Permanent()
}

// Client talks to one endpoint.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	return &Client{cfg: cfg, http: hc}
}

// Transcribe sends audio (named filename, whose extension tells the endpoint the format) and
// returns the segments.
func (c *Client) Transcribe(ctx context.Context, filename string, audio io.Reader) (Result, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() { _ = pw.CloseWithError(c.writeForm(mw, filename, audio)) }()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+"/audio/transcriptions", pr)
	if err != nil {
		_ = pr.Close()
		return Result{}, fmt.Errorf("transcribe %s: %w", filename, err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		_ = pr.Close()
		return Result{}, fmt.Errorf("transcribe %s: %w", filename, err)
	}
	defer resp.Body.Close()
	res, err := decode(resp)
	if err != nil {
		return Result{}, fmt.Errorf("transcribe %s: %w", filename, err)
	}
	return res, nil
}

func (c *Client) writeForm(mw *multipart.Writer, filename string, audio io.Reader) error {
	fields := [][2]string{{"model", c.cfg.Model}, {"response_format", "verbose_json"}}
	if c.cfg.Language != "" {
		fields = append(fields, [2]string{"language", c.cfg.Language})
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return err
		}
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		return err
	}
	if _, err := io.Copy(fw, audio); err != nil {
		return fmt.Errorf("read audio: %w", err)
	}
	return mw.Close()
}

func decode(resp *http.Response) (Result, error) {
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return Result{}, &HTTPError{Status: resp.StatusCode, Body: strings.TrimSpace(string(body))}
	}
	var res Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return Result{}, fmt.Errorf("decode response: %w", err)
	}
	return res, nil
}
