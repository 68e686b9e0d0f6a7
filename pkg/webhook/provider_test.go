package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// acme is a provider the inbox has never heard of: it exists only as a platform.Client with
// the webhook capabilities, the way a new platform/<name> package would add one.
type acme struct{}

func (acme) Name() string { return "acme" }
func (acme) CreateMeeting(context.Context, platform.CreateRequest) (platform.Meeting, error) {
	return platform.Meeting{}, errors.ErrUnsupported
}
func (acme) RoomSessions(context.Context, string) ([]platform.Session, error) { return nil, nil }
func (acme) DeleteRoom(context.Context, string) error                         { return nil }
func (acme) VerifyWebhook(h http.Header, _ []byte, _ time.Time) error {
	if h.Get("X-Acme-Key") != "secret" {
		return platform.ErrBadSignature
	}
	return nil
}
func (acme) WebhookHeaders() []string          { return []string{"X-Acme-Key"} }
func (acme) WebhookHandshake(body []byte) bool { return bytes.Equal(body, []byte("ping")) }
func (acme) WebhookEnvelope(body []byte) (platform.WebhookEnvelope, error) {
	var env struct {
		Event string `json:"event"`
		Seq   string `json:"seq"`
		At    int64  `json:"at"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return platform.WebhookEnvelope{}, errors.Join(platform.ErrMalformed, err)
	}
	return platform.WebhookEnvelope{ID: env.Seq, Type: env.Event, At: time.Unix(env.At, 0).UTC()}, nil
}
func (acme) WebhookEvent(body []byte) (platform.WebhookEvent, error) {
	var p struct {
		Room  string `json:"room"`
		Count int    `json:"count"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return platform.WebhookEvent{}, errors.Join(platform.ErrMalformed, err)
	}
	return platform.WebhookEvent{Count: &platform.ParticipantCount{Room: platform.RoomRef{RoomName: p.Room}, N: p.Count}}, nil
}

// TestNewProviderNeedsNoInboxChange: a provider's webhooks are read by the provider's own
// capabilities (headers kept, handshake, envelope, meaning), so a new provider is received
// and processed without the webhook package naming it.
func TestNewProviderNeedsNoInboxChange(t *testing.T) {
	t.Parallel()
	b := setup(t)
	svc := webhook.NewService(webhook.Config{Store: store.NewWebhookStore(b.db), Jobs: tasks.Jobs{Q: b.queue},
		Platforms: platform.NewRegistry(acme{}), Log: zaptest.NewLogger(t), Now: b.clock.Now})
	h := http.Header{}
	h.Set("X-Acme-Key", "secret")
	h.Set("X-Other", "dropped")

	ack, err := svc.Receive(b.ctx, "acme", h, []byte("ping"))
	require.NoError(t, err)
	require.True(t, ack.Handshake)
	_, err = svc.Receive(b.ctx, "acme", http.Header{}, []byte("ping"))
	require.ErrorIs(t, err, webhook.ErrBadSignature)

	id := b.meeting(t, "acme", "hall", "")
	body := `{"event":"people.counted","seq":"s-1","at":1700000000,"room":"hall","count":3}`
	ack, err = svc.Receive(b.ctx, "acme", h, []byte(body))
	require.NoError(t, err)
	ev := b.row(t, "acme", "s-1")
	require.Equal(t, "people.counted", ev.Type)
	require.Equal(t, time.Unix(1700000000, 0).UTC(), ev.EventTS.UTC())
	require.Equal(t, webhook.Headers{"X-Acme-Key": "secret"}, ev.Headers)

	require.NoError(t, svc.Process(b.ctx, ack.ID))
	ev = b.row(t, "acme", "s-1")
	require.NotNil(t, ev.ProcessedAt)
	require.Nil(t, ev.LastError, "the count was applied, not noted")
	require.Equal(t, 3, b.count(t, `SELECT num_clients FROM meeting WHERE id = $1`, id))
}
