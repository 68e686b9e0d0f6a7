// Package sqsfake is an in-process SQS speaking the JSON protocol the current AWS SDK uses
// (POST with X-Amz-Target: AmazonSQS.<Op>): queues, long polling, visibility timeouts,
// receipt handles and correct MD5 digests, plus fault injection for tests. goaws speaks only
// the older query protocol, which the SDK no longer sends.
package sqsfake

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// message is one queued message.
type message struct {
	id, body, receipt string
	visibleAt         time.Time
	receives          int
}

type queue struct {
	name       string
	url        string
	visibility time.Duration
	msgs       []*message
}

// Server is a fake SQS. Serve it with httptest (NewServer) or any http.Server.
type Server struct {
	mu       sync.Mutex
	baseURL  string
	queues   map[string]*queue // by URL
	seq      int
	wake     chan struct{} // closed and replaced whenever a message is sent
	faults   map[string]int
	now      func() time.Time
	requests map[string]int
}

// Options tune a Server.
type Options struct {
	// Now is the clock for visibility timeouts; nil means time.Now.
	Now func() time.Time
}

// New returns a Server whose queue URLs start with baseURL (set it to the listener's URL).
func New(baseURL string, opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Server{
		baseURL: strings.TrimSuffix(baseURL, "/"), queues: map[string]*queue{},
		wake: make(chan struct{}), faults: map[string]int{}, now: opts.Now, requests: map[string]int{},
	}
}

// NewServer starts a Server on an httptest listener; the caller closes it.
func NewServer() (*Server, *httptest.Server) {
	var s *Server
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.ServeHTTP(w, r)
	}))
	s = New(ts.URL, Options{})
	return s, ts
}

// CreateQueue creates (or returns) a queue and returns its URL.
func (s *Server) CreateQueue(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createQueueLocked(name, 30*time.Second)
}

func (s *Server) createQueueLocked(name string, visibility time.Duration) string {
	url := s.baseURL + "/000000000000/" + name
	if _, ok := s.queues[url]; !ok {
		s.queues[url] = &queue{name: name, url: url, visibility: visibility}
	}
	return url
}

// Send enqueues body on the queue and returns the message id.
func (s *Server) Send(queueURL, body string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queues[queueURL]
	if !ok {
		return "", fmt.Errorf("sqsfake: no queue %q", queueURL)
	}
	s.seq++
	m := &message{id: fmt.Sprintf("msg-%d", s.seq), body: body}
	q.msgs = append(q.msgs, m)
	close(s.wake)
	s.wake = make(chan struct{})
	return m.id, nil
}

// Len returns the number of messages on the queue, visible or in flight.
func (s *Server) Len(queueURL string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.queues[queueURL]; ok {
		return len(q.msgs)
	}
	return 0
}

// ExpireVisibility makes every in-flight message visible again at once, as if its visibility
// timeout had passed.
func (s *Server) ExpireVisibility(queueURL string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.queues[queueURL]; ok {
		for _, m := range q.msgs {
			m.visibleAt = time.Time{}
		}
	}
}

// FailNext makes the next n calls of op (e.g. "DeleteMessage") answer 500.
func (s *Server) FailNext(op string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = n
}

// Requests returns how many calls of op the server has answered.
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

// md5Hex is SQS's MD5OfBody: the hex MD5 of the UTF-8 body. The SDK checks it on receive and send.
func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// apiError is an SQS JSON-protocol error.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("x-amzn-query-error", e.code+";Sender")
	writeJSON(w, e.status, map[string]string{"__type": "com.amazonaws.sqs#" + e.code, "message": e.msg})
}
