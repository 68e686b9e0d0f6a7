package main

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
	"github.com/monadical/reflector-go/pkg/webhook"
)

func TestWebhooksCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	redisOpt := apptest.RedisDB(t)
	q := asynq.NewClient(redisOpt)
	t.Cleanup(func() { _ = q.Close() })
	const secret = "c2VjcmV0LWtleS1mb3ItdGVzdHM=" // base64("secret-key-for-tests")
	db := storetest.NewDB(t)
	inbox := webhook.NewService(webhook.Config{Store: store.NewWebhookStore(db), Jobs: tasks.Jobs{Q: q},
		Platforms: platform.NewRegistry(daily.New(daily.Config{APIKey: "k", WebhookSecret: secret}))})
	key := []byte("secret-key-for-tests")
	for _, id := range []string{"e1", "e2"} {
		body := []byte(`{"type":"meeting.started","id":"` + id + `","payload":{}}`)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h := http.Header{daily.HeaderSignature: {daily.Sign(key, ts, body)}, daily.HeaderTimestamp: {ts}}
		_, err := inbox.Receive(ctx, platform.Daily, h, body)
		require.NoError(t, err)
	}
	var out bytes.Buffer
	c := &ctl{inbox: inbox, out: &out, errw: &out}
	runWebhooks := func(_ context.Context, _ webhookInbox, args []string, _ *bytes.Buffer) error {
		return runCLI(ctx, c, append([]string{"webhooks"}, args...)...)
	}
	require.NoError(t, runWebhooks(ctx, inbox, []string{"list", "--unprocessed", "--limit", "1"}, &out))
	require.Contains(t, out.String(), "e2")
	require.NotContains(t, out.String(), "e1")

	out.Reset()
	require.NoError(t, runWebhooks(ctx, inbox, []string{"replay", "1"}, &out))
	require.Equal(t, "replayed=1 id=1\n", out.String())
	out.Reset()
	require.NoError(t, runWebhooks(ctx, inbox, []string{"replay", "--all-unprocessed"}, &out))
	require.Equal(t, "replayed=2\n", out.String())
	require.Len(t, taskstest.Queued(t, redisOpt, tasks.QueueCritical, tasks.TypeWebhookProcess), 2+1+2)

	// A dead-lettered row: listed with --dead, brought back by a replay.
	_, err := db.Exec(`UPDATE webhook_event SET dead_at = now(), attempts = 10 WHERE event_id = 'e1'`)
	require.NoError(t, err)
	out.Reset()
	require.NoError(t, runWebhooks(ctx, inbox, []string{"list", "--dead"}, &out))
	require.Contains(t, out.String(), "e1")
	require.NotContains(t, out.String(), "e2")
	require.NoError(t, runWebhooks(ctx, inbox, []string{"replay", "1"}, &out))
	out.Reset()
	require.NoError(t, runWebhooks(ctx, inbox, []string{"list", "--dead"}, &out))
	require.NotContains(t, out.String(), "e1")

	require.Error(t, runWebhooks(ctx, inbox, []string{"replay"}, &out))
	require.Error(t, runWebhooks(ctx, inbox, []string{"replay", "x"}, &out))
	require.ErrorIs(t, runWebhooks(ctx, inbox, []string{"replay", "99"}, &out), webhook.ErrEventNotFound)
	require.Error(t, runWebhooks(ctx, inbox, []string{"nope"}, &out))
}
