// Package emulator is a local OpenAI-compatible speech-to-text endpoint for tests and
// `make dev`: it accepts POST */audio/transcriptions (multipart file + model), checks the
// Bearer key, reads the whole upload and answers verbose_json with deterministic segments.
// Serve it with httptest.NewServer(emulator.New(opts)) or any http.Server.
package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/monadical/reflector-go/pkg/transcribe"
)

// Options tune the emulator.
type Options struct {
	// APIKey, when set, is required as "Authorization: Bearer <APIKey>".
	APIKey string
	// Latency delays every answer (after the upload is read).
	Latency time.Duration
	// Script returns the segments for an upload; nil means DefaultScript.
	Script func(filename string, size int64) []transcribe.Segment
}

// Upload records one request the emulator answered.
type Upload struct {
	Filename string
	Model    string
	Size     int64
}

// Emulator is the fake endpoint.
type Emulator struct {
	opts    Options
	mu      sync.Mutex
	fails   []int
	uploads []Upload
}

// New returns an emulator.
func New(opts Options) *Emulator {
	if opts.Script == nil {
		opts.Script = DefaultScript
	}
	return &Emulator{opts: opts}
}

// DefaultScript says two sentences naming the file, 2 s each.
func DefaultScript(filename string, _ int64) []transcribe.Segment {
	name := path.Base(filename)
	return []transcribe.Segment{
		{ID: 0, Start: 0, End: 2, Text: " Hello from " + name + "."},
		{ID: 1, Start: 2, End: 4, Text: " Goodbye from " + name + "."},
	}
}

// FailNext makes the next requests answer the given statuses, one per request.
func (e *Emulator) FailNext(statuses ...int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fails = append(e.fails, statuses...)
}

// Uploads returns the requests answered successfully so far.
func (e *Emulator) Uploads() []Upload {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Upload(nil), e.uploads...)
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/audio/transcriptions") {
		fail(w, http.StatusNotFound, "not found")
		return
	}
	if e.opts.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+e.opts.APIKey {
		fail(w, http.StatusUnauthorized, "invalid api key")
		return
	}
	up, err := readUpload(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if status := e.nextFault(); status != 0 {
		fail(w, status, "injected fault")
		return
	}
	time.Sleep(e.opts.Latency)
	e.mu.Lock()
	e.uploads = append(e.uploads, up)
	e.mu.Unlock()
	writeResult(w, e.opts.Script(up.Filename, up.Size))
}

func (e *Emulator) nextFault() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.fails) == 0 {
		return 0
	}
	s := e.fails[0]
	e.fails = e.fails[1:]
	return s
}

// readUpload streams the multipart form, counting the file's bytes without keeping them.
func readUpload(r *http.Request) (Upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return Upload{}, err
	}
	var up Upload
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Upload{}, err
		}
		switch p.FormName() {
		case "file":
			up.Filename = p.FileName()
			up.Size, err = io.Copy(io.Discard, p)
		case "model":
			var b []byte
			b, err = io.ReadAll(io.LimitReader(p, 256))
			up.Model = string(b)
		}
		if err != nil {
			return Upload{}, err
		}
	}
	if up.Filename == "" || up.Model == "" {
		return Upload{}, fmt.Errorf("file and model are required")
	}
	return up, nil
}

func writeResult(w http.ResponseWriter, segs []transcribe.Segment) {
	res := transcribe.Result{Language: "english", Segments: segs}
	var text []string
	for _, s := range segs {
		text = append(text, strings.TrimSpace(s.Text))
		res.Duration = max(res.Duration, s.End)
	}
	res.Text = strings.Join(text, " ")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(res)
}

func fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg}})
}
