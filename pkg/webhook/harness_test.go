package webhook_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// The providers' contract vectors (../shared/reference/provider-contracts.md §1.8, §2.6).
const (
	dailySecret  = "NQrSA5z0FkJ44QPrFerW7uCc5kdNLv3l2FDEKDanL1U="
	dailyTS      = "1708972280"
	dailyBody    = `{"version":"1.0.0","type":"participant.joined","id":"ptcpt-join-6497c79b-f326-4942-aef8-c36a29140ad1-1708972279961","payload":{"room":"test","user_id":"6497c79b-f326-4942-aef8-c36a29140ad1","user_name":"testuser","session_id":"0c0d2dda-f21d-4cf9-ab56-86bf3c407ffa","joined_at":1708972279.96,"will_eject_at":1708972299.541,"owner":false,"permissions":{"hasPresence":true,"canSend":true,"canReceive":{"base":true},"canAdmin":false}},"event_ts":1708972279.961}`
	dailySig     = "SvXHIVlQjFGG3RKjrULaxB3oyTscWJqRF4+GebAMMAc="
	handshakeSig = "X7j0a9cLacozHYl/Kb6J8/APzGO93UneCCvmyf3VNwg="
	wbSecret     = "wb-test-signing-secret-0123456789"
	wbBody       = `{"id":"d7c4df48b85318352b47d2df45872bf9be87595af379e2a8ad8f1ad28b2a482e","apiVersion":"1.0","createdAt":"2021-01-21T16:29:59.681Z","type":"room.client.joined","data":{"roleName":"host","displayName":"Joe Bloggs","meetingId":"134","roomName":"/af0b7b66-c738-4981-887a-ad416754f32d","subdomain":"JoeBloggsInc","numClients":8,"numClientsByRoleName":{"host":1,"visitor":7},"metadata":"<custom-metadata>","externalId":"<custom-id>"}}`
	wbHeader     = "t=1606227791,v1=4298ed45a714d69e883b7d236096baa5299eb42109d8819ac364bee2ad4e5fcb"
)

// recorder is a recording ingestion that remembers what it was handed.
type recorder struct {
	mu      sync.Mutex
	ready   []recording.DailyReady
	started []string
	err     error
	onCall  func() // optional: runs on every hand-over
}

func (r *recorder) HandleDailyReady(_ context.Context, ev recording.DailyReady) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ready = append(r.ready, ev)
	if r.onCall != nil {
		r.onCall()
	}
	return r.err
}

func (r *recorder) RecordingStarted(_ context.Context, p, room string, _ time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started = append(r.started, p+":"+room)
	return r.err
}

type testBundle struct {
	ctx       context.Context
	db        *sqlx.DB
	svc       *webhook.Service
	clock     *testkit.Clock
	queue     *taskstest.Flaky
	inspector *asynq.Inspector
	rec       *recorder
}

// setup builds the inbox on a fresh database and Redis DB, verifying with the contract
// vectors' secrets, its clock at the Daily vector's timestamp.
func setup(t *testing.T, tweaks ...func(*webhook.Config)) *testBundle {
	t.Helper()
	b := &testBundle{ctx: context.Background(), db: storetest.NewDB(t), rec: &recorder{},
		clock: testkit.NewClock(time.Unix(1708972280, 0))}
	redisOpt := apptest.RedisDB(t)
	client := asynq.NewClient(redisOpt)
	t.Cleanup(func() { _ = client.Close() })
	b.inspector = asynq.NewInspector(redisOpt)
	t.Cleanup(func() { _ = b.inspector.Close() })
	b.queue = &taskstest.Flaky{Q: client}
	reg := platform.NewRegistry(daily.New(daily.Config{APIKey: "k", WebhookSecret: dailySecret}),
		whereby.New(whereby.Config{APIKey: "k", WebhookSecret: wbSecret}))
	cfg := webhook.Config{Store: store.NewWebhookStore(b.db), Jobs: tasks.Jobs{Q: b.queue},
		Platforms: reg, Recordings: b.rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)), Now: b.clock.Now}
	for _, tw := range tweaks {
		tw(&cfg)
	}
	b.svc = webhook.NewService(cfg)
	return b
}

func dailyHeader(sig, ts string) http.Header {
	h := http.Header{}
	h.Set(daily.HeaderSignature, sig)
	h.Set(daily.HeaderTimestamp, ts)
	return h
}

func wbHeaderOf(v string) http.Header {
	h := http.Header{}
	h.Set(whereby.HeaderSignature, v)
	return h
}

// signDaily signs body with the vector key at the bundle's clock.
func (b *testBundle) signDaily(t *testing.T, body string) http.Header {
	t.Helper()
	ts := b.clock.Now().Unix()
	key := mustB64(t, dailySecret)
	return dailyHeader(daily.Sign(key, itoa(ts), []byte(body)), itoa(ts))
}

// signWhereby signs body with the vector secret at the bundle's clock.
func (b *testBundle) signWhereby(body string) http.Header {
	return wbHeaderOf(whereby.SignatureHeader([]byte(wbSecret), b.clock.Now(), []byte(body)))
}

// meeting inserts a room and an active meeting in a provider room and returns its id.
func (b *testBundle) meeting(t *testing.T, provider, roomName, providerID string) uuid.UUID {
	t.Helper()
	roomID, id := uuid.New(), uuid.New()
	now := b.clock.Now()
	_, err := b.db.Exec(`INSERT INTO room (id, name, user_id, platform) VALUES ($1, $2, 'u', $3)`, roomID, "r-"+id.String()[:8], provider)
	require.NoError(t, err)
	_, err = b.db.Exec(`INSERT INTO meeting (id, room_id, platform, provider_meeting_id, room_name, start_date, end_date,
		is_locked, room_mode, recording_type, recording_trigger, last_participant_left_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, false, 'normal', 'none', 'none', $6)`,
		id, roomID, provider, providerID, roomName, now.Add(-time.Hour), now.Add(time.Hour))
	require.NoError(t, err)
	return id
}

// row reads one inbox row by provider event id.
func (b *testBundle) row(t *testing.T, provider, eventID string) webhook.Event {
	t.Helper()
	var ev webhook.Event
	require.NoError(t, b.db.Get(&ev, `SELECT id, provider, event_id, event_type, event_ts, body, headers, received_at,
		processed_at, attempts, last_error FROM webhook_event WHERE provider = $1 AND event_id = $2`, provider, eventID))
	return ev
}

func (b *testBundle) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, b.db.Get(&n, q, args...))
	return n
}

// queued lists the task types and payloads pending or scheduled in a queue.
func (b *testBundle) queued(t *testing.T, queue string) []*asynq.TaskInfo {
	t.Helper()
	var out []*asynq.TaskInfo
	for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){
		b.inspector.ListPendingTasks, b.inspector.ListScheduledTasks} {
		infos, err := list(queue)
		if err != nil && !isQueueNotFound(err) {
			require.NoError(t, err)
		}
		out = append(out, infos...)
	}
	return out
}

func isQueueNotFound(err error) bool { return errors.Is(err, asynq.ErrQueueNotFound) }

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// types returns the task types of infos.
func types(infos []*asynq.TaskInfo) []string {
	out := make([]string, len(infos))
	for i, in := range infos {
		out[i] = in.Type
	}
	return out
}
