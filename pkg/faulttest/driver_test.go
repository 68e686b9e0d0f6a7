package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/livetest"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// driver sends the load through both API replicas and keeps what it must find at the end.
type driver struct {
	t       *testing.T
	s       *stack
	http    *http.Client
	next    atomic.Int64
	crowd   livetest.Counters
	inPG    atomic.Bool  // inside the Postgres outage window
	errs5xx atomic.Int64 // 5xx answers outside it
	mu      sync.Mutex
	hooks   []string // acknowledged webhook event ids
	recs    []string // acknowledged Daily recording ids
}

func newDriver(t *testing.T, s *stack) *driver {
	return &driver{t: t, s: s, http: &http.Client{Timeout: 10 * time.Second}}
}

func (d *driver) outage(on bool) { d.inPG.Store(on) }

func (d *driver) base() string { return d.s.apiURL(int(d.next.Add(1) % apis)) }

// Call implements livetest.API over HTTP, alternating replicas; a replica that is down
// answers status 0 and the client retries.
func (d *driver) Call(method, path string, body any) (int, map[string]any) {
	return d.callAt(d.base(), method, path, body)
}

// callAt is Call on the API at base.
func (d *driver) callAt(base, method, path string, body any) (int, map[string]any) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		enc, _ := json.Marshal(b)
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := d.http.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	d.count(res.StatusCode)
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

func (d *driver) count(status int) {
	if status >= 500 && !d.inPG.Load() {
		d.errs5xx.Add(1)
		d.t.Logf("server error %d outside the outage", status)
	}
}

// rooms creates n rooms without grace period.
func (d *driver) rooms(prefix string, n int) []string {
	var out []string
	for i := range n {
		name := fmt.Sprintf("%s-%d", prefix, i)
		st, _ := d.Call(http.MethodPost, "/v1/rooms", map[string]any{"name": name, "grace_period_minutes": 0})
		require.Equal(d.t, http.StatusOK, st, "create room %s", name)
		out = append(out, name)
	}
	return out
}

// send delivers a signed Daily webhook as Daily does: until it is answered 2xx (or the run
// ends). It reports whether it was acknowledged.
func (d *driver) send(ctx context.Context, ev emulator.DailyEvent) bool {
	for ctx.Err() == nil {
		res, err := d.s.daily.SendWebhook(ctx, d.base()+"/v1/daily/webhook", ev)
		if err == nil {
			_ = res.Body.Close()
			d.count(res.StatusCode)
			if res.StatusCode < 300 {
				return true
			}
		}
		livetest.Sleep(ctx, time.Second)
	}
	return false
}

// webhooks sends participant events for rooms nobody owns, five a second.
func (d *driver) webhooks(ctx context.Context) {
	for i := 0; ctx.Err() == nil; i++ {
		user := fmt.Sprintf("hook-%d", i)
		at := time.Now()
		ev := emulator.DailyParticipantJoined("hooked-room-"+itoa(i%7), uuid.NewString(), user, user, at)
		if i%2 == 1 {
			ev = emulator.DailyParticipantLeft("hooked-room-"+itoa(i%7), uuid.NewString(), user, user, at.Add(-time.Minute), at)
		}
		if d.send(ctx, ev) {
			d.mu.Lock()
			d.hooks = append(d.hooks, ev.ID)
			d.mu.Unlock()
		}
		livetest.Sleep(ctx, 200*time.Millisecond)
	}
}

// recordings makes a meeting, uploads two audio tracks and announces them with Daily's
// recording.ready-to-download, one every three seconds.
func (d *driver) recordings(ctx context.Context, wav []byte) {
	for i := 0; ctx.Err() == nil; i++ {
		name := fmt.Sprintf("rec-%d", i)
		room := d.meetingRoom(ctx, name)
		if room == "" {
			continue
		}
		start := time.Now().Add(-time.Minute)
		ms := start.UnixMilli()
		var tracks []emulator.DailyTrack
		for range 2 {
			key := fmt.Sprintf("dom/%s/%d-%s-cam-audio-%d", room, ms, uuid.NewString(), ms+int64(rand.IntN(5000)))
			d.s.put(dailyBucket, key, wav)
			tracks = append(tracks, emulator.DailyTrack{Type: "audio", S3Key: key, Size: int64(len(wav))})
		}
		id := uuid.NewString()
		ev := emulator.DailyRecordingReadyRawTracks(room, id, fmt.Sprintf("dom/%s/%d", room, ms), start, time.Minute, tracks)
		if d.send(ctx, ev) {
			d.mu.Lock()
			d.recs = append(d.recs, id)
			d.hooks = append(d.hooks, ev.ID)
			d.mu.Unlock()
		}
		livetest.Sleep(ctx, 3*time.Second)
	}
}

// meetingRoom creates an app room and its meeting and returns the provider room name.
func (d *driver) meetingRoom(ctx context.Context, name string) string {
	for ctx.Err() == nil {
		st, _ := d.Call(http.MethodPost, "/v1/rooms", map[string]any{"name": name, "grace_period_minutes": 0})
		if st == http.StatusOK || st == http.StatusBadRequest { // 400: created by an earlier try
			if st, m := d.Call(http.MethodPost, "/v1/rooms/"+name+"/meeting", map[string]any{}); st == http.StatusOK {
				room, _ := m["room_name"].(string)
				return room
			}
		}
		livetest.Sleep(ctx, time.Second)
	}
	return ""
}

// tally is the end state.
type tally struct {
	lost, duplicated, leaked, stuck, waiting, sttRepeats int
}

func (d *driver) tally() tally {
	d.mu.Lock()
	hooks, recs := append([]string(nil), d.hooks...), append([]string(nil), d.recs...)
	d.mu.Unlock()
	var tl tally
	q := func(dst *int, query string, args ...any) {
		var n int
		require.NoError(d.t, d.s.db.Get(&n, query, args...), query)
		*dst += n
	}
	q(&tl.lost, `SELECT $2::int - count(*) FROM webhook_event WHERE event_id = ANY($1) AND processed_at IS NOT NULL`,
		pq.Array(hooks), len(hooks))
	q(&tl.lost, `SELECT $2::int - count(*) FROM recording r JOIN transcript t ON t.recording_id = r.id
		WHERE r.provider_recording_id = ANY($1) AND t.status = 'ended'`, pq.Array(recs), len(recs))
	q(&tl.duplicated, `SELECT count(*) FROM (SELECT recording_id FROM transcript GROUP BY 1 HAVING count(*) > 1) x`)
	q(&tl.duplicated, `SELECT count(*) FROM (SELECT room_id FROM meeting WHERE is_active GROUP BY 1 HAVING count(*) > 1) x`)
	q(&tl.stuck, stuckSQL)
	q(&tl.waiting, waitingSQL)
	tl.leaked = d.unowned()
	calls := map[string]int{}
	for _, u := range d.s.stt.Uploads() {
		calls[u.Filename]++
	}
	for _, n := range calls {
		tl.sttRepeats += n - 1
	}
	return tl
}

// unowned counts the provider rooms no meeting row names.
func (d *driver) unowned() int {
	var names []string
	require.NoError(d.t, d.s.db.Select(&names, `SELECT room_name FROM meeting`))
	owned := map[string]bool{}
	for _, n := range names {
		owned[n] = true
	}
	n := 0
	for _, r := range d.s.daily.Rooms() {
		if !owned[r] {
			n++
		}
	}
	return n
}

// waitingSQL counts every row still waiting on a task; stuckSQL those past their lease.
const (
	waitingSQL = `SELECT (SELECT count(*) FROM webhook_event WHERE processed_at IS NULL)
		+ (SELECT count(*) FROM recording WHERE status IN ('pending', 'downloading')
			OR (status = 'stored' AND meeting_id IS NOT NULL AND kind <> 'cloud'
				AND NOT EXISTS (SELECT 1 FROM transcript t WHERE t.recording_id = recording.id)))
		+ (SELECT count(*) FROM transcript WHERE status IN ('uploaded', 'processing'))
		+ (SELECT count(*) FROM meeting WHERE NOT is_active AND provider_room_deleted_at IS NULL)`
	stuckSQL = `SELECT (SELECT count(*) FROM webhook_event WHERE processed_at IS NULL AND received_at < now() - interval '30 seconds')
		+ (SELECT count(*) FROM recording WHERE updated_at < now() - interval '20 seconds' AND (status IN ('pending', 'downloading')
			OR (status = 'stored' AND meeting_id IS NOT NULL AND kind <> 'cloud'
				AND NOT EXISTS (SELECT 1 FROM transcript t WHERE t.recording_id = recording.id))))
		+ (SELECT count(*) FROM transcript WHERE status IN ('uploaded', 'processing') AND updated_at < now() - interval '20 seconds')
		+ (SELECT count(*) FROM meeting WHERE NOT is_active AND provider_room_deleted_at IS NULL AND ended_at < now() - interval '1 minute')`
)

// converge waits until nothing is lost and nothing waits any more.
func (d *driver) converge(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		tl := d.tally()
		if tl.lost == 0 && tl.waiting == 0 && tl.leaked == 0 {
			return true
		}
		d.t.Logf("converging: lost=%d waiting=%d stuck=%d leaked=%d", tl.lost, tl.waiting, tl.stuck, tl.leaked)
		time.Sleep(5 * time.Second)
	}
	return false
}

func (d *driver) line(recovery time.Duration, converged bool) string {
	tl := d.tally()
	d.mu.Lock()
	d.t.Logf("acknowledged webhooks=%d recordings=%d joins=%d stt_repeats=%d converged=%v",
		len(d.hooks), len(d.recs), d.crowd.Joins.Load(), tl.sttRepeats, converged)
	d.mu.Unlock()
	return fmt.Sprintf("fault-test lost=%d duplicated=%d leaked_rooms=%d stuck=%d splits=%d orphans=%d server_errors_outside_outage=%d recovery_s=%d",
		tl.lost, tl.duplicated, tl.leaked, tl.stuck, d.crowd.Splits.Load(), d.crowd.Orphans.Load(), d.errs5xx.Load(),
		int(recovery.Seconds()))
}
