package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
)

// Ack is the outcome of one accepted delivery. Every accepted delivery is answered 200 with
// {"status":"ok"}, whatever it holds: a provider that sees errors disables the endpoint.
type Ack struct {
	ID        int64  // inbox row id; 0 for a handshake or a duplicate
	Handshake bool   // Daily's {"test":"test"} check, not stored
	Duplicate bool   // (provider, event id) was already in the inbox
	Queued    bool   // the processing task was enqueued (else the sweep will)
	Type      string // event type
}

// Receive verifies a delivery over its raw bytes, stores it once, queues its processing and
// acknowledges it. Errors: ErrBadSignature (401), ErrMalformed (400), anything else is a
// storage failure (500, so the provider retries). An enqueue failure after the insert is not
// an error: the row is durable and the sweep re-enqueues it.
func (s *Service) Receive(ctx context.Context, provider string, h http.Header, body []byte) (Ack, error) {
	r, err := s.verify(provider, h, body)
	if err != nil {
		return Ack{}, err
	}
	if r.WebhookHandshake(body) {
		return Ack{Handshake: true}, nil
	}
	ev, err := envelope(r, provider, body)
	if err != nil {
		return Ack{}, fmt.Errorf("webhook.Receive %s: %w", provider, err)
	}
	ev.ReceivedAt = s.cfg.Now().UTC()
	ev.Headers = Headers{}
	for _, k := range append(r.WebhookHeaders(), "Content-Type", "User-Agent") {
		if v := h.Get(k); v != "" {
			ev.Headers[k] = v
		}
	}
	id, inserted, err := s.cfg.Store.WebhookEventInsert(ctx, ev)
	if err != nil {
		return Ack{}, fmt.Errorf("webhook.Receive %s %s: %w", provider, ev.EventID, err)
	}
	ack := Ack{ID: id, Duplicate: !inserted, Type: ev.Type}
	if !inserted {
		return ack, nil
	}
	if err := s.cfg.Jobs.ProcessWebhook(ctx, id); err != nil {
		s.cfg.Log.Warn("webhook stored, enqueue failed; the sweep will queue it",
			zap.String("provider", provider), zap.Int64("id", id), zap.Error(err))
		return ack, nil
	}
	ack.Queued = true
	return ack, nil
}

// verify checks the signature with the provider's client and returns the client's webhook
// reader. An unknown provider, one without a secret or one that sends no webhooks is a bad
// signature: the request cannot be authenticated.
func (s *Service) verify(provider string, h http.Header, body []byte) (platform.WebhookReader, error) {
	r, c, err := s.reader(provider)
	if err != nil {
		return nil, fmt.Errorf("webhook.Receive %s: %w: %w", provider, err, ErrBadSignature)
	}
	if err := c.VerifyWebhook(h, body, s.cfg.Now()); err != nil {
		if !errors.Is(err, platform.ErrBadSignature) {
			s.cfg.Log.Warn("webhook verification failed unexpectedly", zap.String("provider", provider), zap.Error(err))
		}
		return nil, fmt.Errorf("webhook.Receive %s: %w: %w", provider, err, ErrBadSignature)
	}
	return r, nil
}

// reader finds the provider's client and its webhook reader.
func (s *Service) reader(provider string) (platform.WebhookReader, platform.Client, error) {
	c, err := s.cfg.Platforms.Get(provider)
	if err != nil {
		return nil, nil, err
	}
	r, ok := c.(platform.WebhookReader)
	if !ok {
		return nil, nil, fmt.Errorf("%s reads no webhooks: %w", provider, platform.ErrUnknownPlatform)
	}
	return r, c, nil
}

// envelope reads the fields the inbox keeps: id, type and provider time. Payloads are decoded
// only when processed, so a verified event whose payload we cannot read is still stored and
// acknowledged. A body that is not a JSON object with a type is ErrMalformed.
func envelope(r platform.WebhookReader, provider string, body []byte) (Event, error) {
	env, err := r.WebhookEnvelope(body)
	if err != nil {
		return Event{}, fmt.Errorf("%w: %w", err, ErrMalformed)
	}
	if env.Type == "" {
		return Event{}, fmt.Errorf("no event type: %w", ErrMalformed)
	}
	// id and type are stored as text: a verified event whose id or type Postgres cannot store
	// (NUL, invalid UTF-8) is kept under a body hash and a cleaned type, not refused (a
	// provider disables a webhook that keeps failing).
	if !storable(env.ID) {
		env.ID = ""
	}
	if !storable(env.Type) {
		env.Type = strings.ToValidUTF8(strings.ReplaceAll(env.Type, "\x00", ""), "?")
	}
	ev := Event{Provider: provider, EventID: env.ID, Type: env.Type, Body: body}
	if !env.At.IsZero() {
		ev.EventTS = ptr(env.At)
	}
	if ev.EventID == "" {
		// Without a provider id, identical bodies are the same event.
		sum := sha256.Sum256(body)
		ev.EventID = "sha256:" + hex.EncodeToString(sum[:])
	}
	return ev, nil
}

func ptr[T any](v T) *T { return &v }

// storable reports whether s can be stored as Postgres text.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// eventTime is the provider time of an event, or its receipt time when it carries none.
func eventTime(ev Event) time.Time {
	if ev.EventTS != nil {
		return *ev.EventTS
	}
	return ev.ReceivedAt
}
