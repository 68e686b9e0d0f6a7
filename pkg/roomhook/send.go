// Package roomhook sends a room's outgoing webhooks (room.webhook_url): the original's
// transcript.completed event and its test event, signed with room.webhook_secret.
// Deliveries go through netguard, so a URL resolving to a private or loopback address is
// refused.
package roomhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strconv"
	"time"

	"github.com/monadical/reflector-go/pkg/netguard"
)

// Event types, as the original's X-Webhook-Event.
const (
	EventTranscriptCompleted = "transcript.completed"
	EventTest                = "test"
)

// Headers are the original's webhook headers: X-Webhook-Signature is
// "t=<unix>,v1=<hex HMAC-SHA256(secret, "<unix>.<body>")>", sent only with a secret.
func Headers(event string, body []byte, secret string, retry int, now time.Time) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "Reflector-Webhook/1.0")
	h.Set("X-Webhook-Event", event)
	h.Set("X-Webhook-Retry", strconv.Itoa(retry))
	if secret != "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "."))
		mac.Write(body)
		h.Set("X-Webhook-Signature", "t="+ts+",v1="+hex.EncodeToString(mac.Sum(nil)))
	}
	return h
}

// Sender posts webhooks.
type Sender struct {
	client *http.Client
	now    func() time.Time
}

// NewSender returns a sender whose requests time out after timeout; allowPrivate lets it reach
// private and loopback addresses (tests, local development only).
func NewSender(timeout time.Duration, allowPrivate bool) *Sender {
	tr := &http.Transport{Proxy: nil, DialContext: netguard.Dialer(allowPrivate).DialContext,
		TLSHandshakeTimeout: 10 * time.Second, MaxIdleConns: 16, IdleConnTimeout: 90 * time.Second}
	return &Sender{now: time.Now, client: &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Response is the receiver's answer.
type Response struct {
	Status  int
	Preview string // the start of the body
}

// OK reports a 2xx answer.
func (r Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

const previewBytes = 500

// Send posts body to url; an error means no answer (refused address, connection, timeout).
func (s *Sender) Send(ctx context.Context, url, event string, body []byte, secret string, retry int) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Response{}, fmt.Errorf("roomhook: %w", err)
	}
	req.Header = Headers(event, body, secret, retry, s.now())
	resp, err := s.client.Do(req)
	if ue := (*neturl.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // the URL may carry a token: keep it out of errors and logs
	}
	if err != nil {
		return Response{}, fmt.Errorf("roomhook: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, previewBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return Response{Status: resp.StatusCode, Preview: string(b)}, nil
}
