package webhook_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/webhook"
)

func TestReceiveContractVectors(t *testing.T) {
	t.Parallel()

	t.Run("daily vector is stored and queued", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ack, err := b.svc.Receive(b.ctx, platform.Daily, dailyHeader(dailySig, dailyTS), []byte(dailyBody))
		require.NoError(t, err)
		require.True(t, ack.Queued)
		ev := b.row(t, platform.Daily, "ptcpt-join-6497c79b-f326-4942-aef8-c36a29140ad1-1708972279961")
		require.Equal(t, ack.ID, ev.ID)
		require.Equal(t, "participant.joined", ev.Type)
		require.Equal(t, dailyBody, string(ev.Body))
		require.Equal(t, dailySig, ev.Headers["X-Webhook-Signature"])
		require.Equal(t, dailyTS, ev.Headers["X-Webhook-Timestamp"])
		require.NotNil(t, ev.EventTS)
		require.Equal(t, int64(1708972279961), ev.EventTS.UnixMilli())
		require.Nil(t, ev.ProcessedAt)
		require.Equal(t, []string{tasks.TypeWebhookProcess}, types(b.queued(t, tasks.QueueCritical)))
	})

	t.Run("daily handshake vector is acknowledged and not stored", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ack, err := b.svc.Receive(b.ctx, platform.Daily, dailyHeader(handshakeSig, dailyTS), []byte(`{"test":"test"}`))
		require.NoError(t, err)
		require.True(t, ack.Handshake)
		require.Zero(t, b.count(t, `SELECT count(*) FROM webhook_event`))
	})

	t.Run("whereby vector is stored", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.clock.Set(time.Unix(1606227791, 0))
		_, err := b.svc.Receive(b.ctx, platform.Whereby, wbHeaderOf(wbHeader), []byte(wbBody))
		require.NoError(t, err)
		ev := b.row(t, platform.Whereby, "d7c4df48b85318352b47d2df45872bf9be87595af379e2a8ad8f1ad28b2a482e")
		require.Equal(t, "room.client.joined", ev.Type)
		require.Equal(t, wbHeader, ev.Headers["Whereby-Signature"])
		require.Equal(t, time.Date(2021, 1, 21, 16, 29, 59, 681e6, time.UTC), ev.EventTS.UTC())
	})
}

func TestReceiveRejects(t *testing.T) {
	t.Parallel()
	at := time.Unix(1708972280, 0)
	cases := []struct {
		name     string
		provider string
		now      time.Time
		header   http.Header
		body     string
	}{
		{"tampered daily body", platform.Daily, at, dailyHeader(dailySig, dailyTS), dailyBody + " "},
		{"daily signature of another key", platform.Daily, at, dailyHeader("xv+70e6UODlwLlhBsLfoJ/h+mQ5DVIAzdHh5N/FhKI4=", dailyTS), dailyBody},
		{"daily hex signature", platform.Daily, at, dailyHeader("4af5c72159508c5186dd12a3ad42dac41de8c93b1c589a91178f8679b00c3007", dailyTS), dailyBody},
		{"daily stale timestamp", platform.Daily, at.Add(5*time.Minute + time.Second), dailyHeader(dailySig, dailyTS), dailyBody},
		{"daily future timestamp", platform.Daily, at.Add(-5*time.Minute - time.Second), dailyHeader(dailySig, dailyTS), dailyBody},
		{"daily missing headers", platform.Daily, at, http.Header{}, dailyBody},
		{"daily missing timestamp", platform.Daily, at, dailyHeader(dailySig, ""), dailyBody},
		{"whereby tampered body", platform.Whereby, time.Unix(1606227791, 0), wbHeaderOf(wbHeader), wbBody[:len(wbBody)-1] + " }"},
		{"whereby stale", platform.Whereby, time.Unix(1606227791+301, 0), wbHeaderOf(wbHeader), wbBody},
		{"whereby future", platform.Whereby, time.Unix(1606227791-301, 0), wbHeaderOf(wbHeader), wbBody},
		{"whereby missing header", platform.Whereby, time.Unix(1606227791, 0), http.Header{}, wbBody},
		{"whereby body-only signature", platform.Whereby, time.Unix(1606227791, 0),
			wbHeaderOf("t=1606227791,v1=3addfa8c5a985c9a92dc117cb461fa94d6a459c1f3c792c1f3f551ba9a5d7d0c"), wbBody},
		{"provider without a client", "zoom", at, dailyHeader(dailySig, dailyTS), dailyBody},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.clock.Set(tc.now)
			_, err := b.svc.Receive(b.ctx, tc.provider, tc.header, []byte(tc.body))
			require.ErrorIs(t, err, webhook.ErrBadSignature)
			require.Zero(t, b.count(t, `SELECT count(*) FROM webhook_event`))
			require.Empty(t, b.queued(t, tasks.QueueCritical))
		})
	}
}

func TestReceiveBodies(t *testing.T) {
	t.Parallel()

	t.Run("malformed JSON after a good signature is ErrMalformed", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, body := range []string{`{"type":`, `[1,2]`, `null`, `{"id":"x"}`, ``} {
			_, err := b.svc.Receive(b.ctx, platform.Daily, b.signDaily(t, body), []byte(body))
			require.ErrorIs(t, err, webhook.ErrMalformed, body)
			_, err = b.svc.Receive(b.ctx, platform.Whereby, b.signWhereby(body), []byte(body))
			require.ErrorIs(t, err, webhook.ErrMalformed, body)
		}
		require.Zero(t, b.count(t, `SELECT count(*) FROM webhook_event`))
	})

	t.Run("the handshake is checked after the signature", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.svc.Receive(b.ctx, platform.Daily, http.Header{}, []byte(`{"test":"test"}`))
		require.ErrorIs(t, err, webhook.ErrBadSignature)
	})

	t.Run("an unknown type is stored and queued", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		body := `{"version":"1.0.0","type":"dialout.answered","id":"new-1","payload":{"x":1},"event_ts":1708972279}`
		ack, err := b.svc.Receive(b.ctx, platform.Daily, b.signDaily(t, body), []byte(body))
		require.NoError(t, err)
		require.True(t, ack.Queued)
		require.Equal(t, "dialout.answered", b.row(t, platform.Daily, "new-1").Type)
	})

	t.Run("a known type with an unexpected payload is stored, processed with a note", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		body := `{"version":"1.0.0","type":"participant.joined","id":"odd-1","payload":{"room":5},"event_ts":1708972279}`
		ack, err := b.svc.Receive(b.ctx, platform.Daily, b.signDaily(t, body), []byte(body))
		require.NoError(t, err)
		require.NoError(t, b.svc.Process(b.ctx, ack.ID))
		ev := b.row(t, platform.Daily, "odd-1")
		require.NotNil(t, ev.ProcessedAt)
		require.NotNil(t, ev.LastError)
	})

	t.Run("an event without an id is deduplicated by its body", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		body := `{"type":"meeting.started","payload":{}}`
		for range 2 {
			_, err := b.svc.Receive(b.ctx, platform.Daily, b.signDaily(t, body), []byte(body))
			require.NoError(t, err)
		}
		require.Equal(t, 1, b.count(t, `SELECT count(*) FROM webhook_event WHERE event_id LIKE 'sha256:%'`))
	})
}

func TestReceiveDuplicates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for range 3 {
		ack, err := b.svc.Receive(b.ctx, platform.Daily, dailyHeader(dailySig, dailyTS), []byte(dailyBody))
		require.NoError(t, err)
		_ = ack
	}
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM webhook_event`))
	require.Len(t, b.queued(t, tasks.QueueCritical), 1)
}

func TestReceiveEnqueueFailure(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.queue.Down()
	ack, err := b.svc.Receive(b.ctx, platform.Daily, dailyHeader(dailySig, dailyTS), []byte(dailyBody))
	require.NoError(t, err, "the row is durable: the delivery is acknowledged")
	require.False(t, ack.Queued)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM webhook_event WHERE processed_at IS NULL`))
	require.Empty(t, b.queued(t, tasks.QueueCritical))

	b.queue.Up()
	n, err := b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Zero(t, n, "a row younger than SweepAge is left to its own task")

	b.clock.Set(b.clock.Now().Add(time.Minute))
	n, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, b.queued(t, tasks.QueueCritical), 1, "the task id is the row's: a second sweep queues nothing new")
}
