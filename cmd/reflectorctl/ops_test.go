package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// opsBundle is the CLI on a whole test stack: database, Redis, Daily emulator, services.
type opsBundle struct {
	a         *apptest.App
	c         *ctl
	out, errw *bytes.Buffer
}

func newOps(t *testing.T) *opsBundle {
	t.Helper()
	a := apptest.New(t, apptest.Options{})
	inspector := asynq.NewInspector(a.Redis)
	t.Cleanup(func() { _ = inspector.Close() })
	b := &opsBundle{a: a, out: &bytes.Buffer{}, errw: &bytes.Buffer{}}
	dc, err := a.Platforms.Get(platform.Daily)
	require.NoError(t, err)
	b.c = &ctl{db: a.DB, meetings: a.Meetings, platforms: a.Platforms, inspector: inspector, queue: a.Queue,
		daily: dc.(dailyWebhookAdmin), dailySecret: a.Daily.WebhookSecret(), out: b.out, errw: b.errw, now: time.Now}
	return b
}

func (b *opsBundle) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	b.out.Reset()
	b.errw.Reset()
	err := runCLI(context.Background(), b.c, args...)
	return b.out.String(), err
}

// meeting creates a room and hands out its meeting.
func (b *opsBundle) meeting(t *testing.T, name string, mods ...func(*room.Input)) meeting.Handout {
	t.Helper()
	b.a.CreateRoom(t, name, mods...)
	h, err := b.a.Meetings.GetOrCreate(context.Background(), name, apptest.Owner, "", false)
	require.NoError(t, err)
	return h
}

func TestQueueCommands(t *testing.T) {
	t.Parallel()
	b := newOps(t)

	out, err := b.run(t, "queue", "stats")
	require.NoError(t, err, "a fresh Redis has no queues yet: zeros, not an error")
	for _, q := range tasks.QueueNames() {
		require.Regexp(t, q+`\s+false\s+0\s+0\s+0\s+0\s+0\s+0\s`, out)
	}

	jobs := tasks.RecordingJobs{Q: b.c.queue}
	for range 3 {
		id := uuid.New()
		require.NoError(t, jobs.EnqueueDownload(context.Background(), id))
	}
	require.NoError(t, tasks.Jobs{Q: b.c.queue}.DeleteProviderRoom(context.Background(), uuid.New(), "daily", "r"))
	pending, err := b.c.inspector.ListPendingTasks(tasks.QueueDefault)
	require.NoError(t, err)
	for _, ti := range pending {
		require.NoError(t, b.c.inspector.ArchiveTask(tasks.QueueDefault, ti.ID))
	}
	out, err = b.run(t, "queue", "stats", "default")
	require.NoError(t, err)
	require.Regexp(t, `default\s+false\s+0\s+0\s+0\s+0\s+4\s`, out)
	require.NotContains(t, out, "critical")

	out, err = b.run(t, "queue", "retry-archived", tasks.TypeRecordingDownload)
	require.NoError(t, err)
	require.Contains(t, out, "retried 3 archived recording:download task(s)")
	require.Contains(t, b.errw.String(), "retried on default 3/3")
	archived, err := b.c.inspector.ListArchivedTasks(tasks.QueueDefault)
	require.NoError(t, err)
	require.Len(t, archived, 1, "the room delete of another type stays archived")
	require.Equal(t, tasks.TypeRoomDelete, archived[0].Type)

	_, err = b.run(t, "queue", "pause", "default")
	require.NoError(t, err)
	out, err = b.run(t, "queue", "stats", "default")
	require.NoError(t, err)
	require.Regexp(t, `default\s+true\s`, out)
	_, err = b.run(t, "queue", "resume", "default")
	require.NoError(t, err)
	out, err = b.run(t, "queue", "stats", "default")
	require.NoError(t, err)
	require.Regexp(t, `default\s+false\s`, out)
	_, err = b.run(t, "queue", "pause", "nosuch")
	require.Error(t, err)
}

func TestMeetingShowAndEnd(t *testing.T) {
	t.Parallel()
	b := newOps(t)
	h := b.meeting(t, "ops-room")
	id := h.Meeting.ID.String()

	out, err := b.run(t, "meetings", "show", id)
	require.NoError(t, err)
	require.Regexp(t, `active:\s+true`, out)
	require.Contains(t, out, h.Meeting.RoomName)
	require.Contains(t, out, meeting.EventCreated)
	require.NotContains(t, out, "host_room_url")

	_, err = b.run(t, "meetings", "end", id)
	require.ErrorContains(t, err, "--yes")
	out, err = b.run(t, "meetings", "end", id, "--yes")
	require.NoError(t, err)
	require.Contains(t, out, "ended (ended by operator)")
	_, err = b.c.inspector.GetTaskInfo(tasks.QueueDefault, "room:delete:"+id)
	require.NoError(t, err, "the provider room delete is queued, as for any end")

	out, err = b.run(t, "meetings", "timeline", id)
	require.NoError(t, err)
	require.Regexp(t, `ended\s+operator\s`, out)
	require.Contains(t, out, "ended: ended by operator at")

	out, err = b.run(t, "meetings", "end", id, "--yes")
	require.NoError(t, err)
	require.Contains(t, out, "had already ended")
	_, err = b.run(t, "meetings", "show", uuid.NewString())
	require.ErrorIs(t, err, meeting.ErrNotFound)
	_, err = b.run(t, "meetings", "show", "nope")
	require.ErrorContains(t, err, "bad meeting id")
}

func TestRoomsCommandsHideCredentials(t *testing.T) {
	t.Parallel()
	b := newOps(t)
	const ics, hook = "https://calendar.example.com/private/s3cret-feed.ics", "https://hooks.example.com/h"
	b.a.CreateRoom(t, "with-secrets", func(in *room.Input) { in.ICSURL, in.ICSEnabled, in.WebhookURL = ptr(ics), true, hook })
	b.meeting(t, "plain")

	out, err := b.run(t, "rooms", "list")
	require.NoError(t, err)
	require.Contains(t, out, "with-secrets")
	require.Contains(t, out, "plain")
	out, err = b.run(t, "rooms", "show", "with-secrets")
	require.NoError(t, err)
	require.Regexp(t, `ics:\s+on`, out)
	require.Regexp(t, `webhook:\s+set`, out)
	out2, err := b.run(t, "rooms", "show", "plain")
	require.NoError(t, err)
	require.Regexp(t, `active meetings:\s+1`, out2)
	out3, err := b.run(t, "rooms", "list", "--owner", "someone-else")
	require.NoError(t, err)
	require.NotContains(t, out3, "plain")
	var secret string
	require.NoError(t, b.a.DB.Get(&secret, `SELECT webhook_secret FROM room WHERE name = 'with-secrets'`))
	for _, o := range []string{out, out2} {
		for _, s := range []string{ics, "s3cret", hook, secret} {
			require.NotContains(t, o, s)
		}
	}
	_, err = b.run(t, "rooms", "show", "nosuch")
	require.ErrorIs(t, err, room.ErrNotFound)
}

func TestPresenceCommand(t *testing.T) {
	t.Parallel()
	b := newOps(t)
	h := b.meeting(t, "present")
	b.a.Daily.Join(h.Meeting.RoomName, "sess-1", "user-1", "Ada")
	out, err := b.run(t, "presence", h.Meeting.ID.String())
	require.NoError(t, err)
	require.Contains(t, out, "1 present")
	require.Regexp(t, `sess-1\s+user-1\s+Ada`, out)
	_, err = b.run(t, "presence", uuid.NewString())
	require.ErrorIs(t, err, meeting.ErrNotFound)
}

func TestDailyWebhooksRegister(t *testing.T) {
	t.Parallel()
	b := newOps(t)
	target := b.a.URL + "/v1/daily/webhook"

	out, err := b.run(t, "webhooks", "daily", "register", target)
	require.NoError(t, err, "Daily test-pings the api, which verifies the signature")
	require.Contains(t, out, "created ")
	hooks := b.a.Daily.Webhooks()
	require.Len(t, hooks, 1)
	require.Equal(t, b.c.dailySecret, hooks[0].HMAC, "signed with DAILY_WEBHOOK_SECRET")
	require.Equal(t, dailyEventTypes(), hooks[0].EventTypes)

	out, err = b.run(t, "webhooks", "daily", "register", target, "--events", "participant.joined")
	require.NoError(t, err)
	require.Contains(t, out, "updated "+hooks[0].UUID)

	other := b.a.URL + "/v1/daily/webhook?v=2"
	_, err = b.run(t, "webhooks", "daily", "register", other)
	require.ErrorContains(t, err, "--replace")
	out, err = b.run(t, "webhooks", "daily", "register", other, "--replace")
	require.NoError(t, err)
	require.Contains(t, out, "deleted "+hooks[0].UUID)
	require.Len(t, b.a.Daily.Webhooks(), 1)

	out, err = b.run(t, "webhooks", "daily", "list")
	require.NoError(t, err)
	require.Contains(t, out, other)
	require.Contains(t, out, "ACTIVE")
	require.NotContains(t, out, b.c.dailySecret, "the signing key is never printed")

	_, err = b.run(t, "webhooks", "daily", "register", "not a url")
	require.ErrorContains(t, err, "not an http(s) URL")
	b.c.dailySecret = ""
	_, err = b.run(t, "webhooks", "daily", "register", target)
	require.ErrorContains(t, err, "DAILY_WEBHOOK_SECRET")
	require.True(t, strings.HasPrefix(other, "http"))
}

func ptr[T any](v T) *T { return &v }
