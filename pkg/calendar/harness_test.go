package calendar_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

const baseURL = "https://reflector.example.com"

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// feedServer serves one ICS body with an ETag, answers conditional requests with 304, and can
// be switched to misbehave.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	body     []byte
	block    bool // hang until the client gives up
	status   int  // answer this status instead of the body when non-zero
	requests atomic.Int64
}

func newFeedServer(t testing.TB) *feedServer {
	f := &feedServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *feedServer) Set(body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body, f.block, f.status = body, false, 0
}

func (f *feedServer) Misbehave(block bool, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.block, f.status = block, status
}

func (f *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	f.mu.Lock()
	body, block, status := f.body, f.block, f.status
	f.mu.Unlock()
	if block {
		<-r.Context().Done()
		return
	}
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "text/calendar")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// slotMeetings is the test double of pkg/meeting's CreateCalendarMeeting: it inserts the
// calendar meeting row itself and leans on uq_meeting_calendar_slot, as the real one must.
type slotMeetings struct {
	db    *sqlx.DB
	calls atomic.Int64
}

func (m *slotMeetings) CreateCalendarMeeting(ctx context.Context, req calendar.CalendarMeetingRequest) (uuid.UUID, error) {
	m.calls.Add(1)
	meta, err := json.Marshal(req.Metadata)
	if err != nil {
		return uuid.Nil, err
	}
	var id uuid.UUID
	err = m.db.GetContext(ctx, &id, `INSERT INTO meeting (id, room_id, kind, platform, start_date, end_date,
			is_locked, room_mode, recording_type, recording_trigger, calendar_event_id, calendar_metadata)
		VALUES ($1, $2, 'calendar', 'daily', $3, $4, false, 'normal', 'cloud', 'automatic-2nd-participant', $5, $6)
		ON CONFLICT (room_id, start_date, end_date) WHERE kind = 'calendar' DO NOTHING RETURNING id`,
		uuid.New(), req.RoomID, req.Start, req.End, req.CalendarEventID, meta)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, err // created, or failed
	}
	err = m.db.GetContext(ctx, &id, `SELECT id FROM meeting WHERE kind = 'calendar' AND room_id = $1
		AND start_date = $2 AND end_date = $3`, req.RoomID, req.Start, req.End)
	return id, err
}

type testBundle struct {
	db       *sqlx.DB
	svc      *calendar.Service
	clock    *testkit.Clock
	feed     *feedServer
	meetings *slotMeetings
	roomID   uuid.UUID
}

type setupOpts struct {
	fixture string        // served at start
	now     string        // RFC 3339
	timeout time.Duration // fetch timeout
}

func setup(t testing.TB, o setupOpts) *testBundle {
	t.Helper()
	db := storetest.NewDB(t)
	b := &testBundle{db: db, clock: testkit.NewClock(at(o.now)), feed: newFeedServer(t), meetings: &slotMeetings{db: db}}
	if o.fixture != "" {
		b.feed.Set(readFixture(t, o.fixture))
	}
	b.roomID = insertRoom(t, db, "max", b.feed.URL+"/calendar.ics?token=secret")
	svc, err := calendar.NewService(calendar.Config{
		Store:    store.NewCalendarStore(db),
		Fetcher:  calendar.NewHTTPFetcher(calendar.FetchConfig{AllowPrivate: true, Timeout: o.timeout}),
		Meetings: b.meetings,
		BaseURL:  baseURL,
		Now:      b.clock.Now,
	})
	require.NoError(t, err)
	b.svc = svc
	return b
}

func insertRoom(t testing.TB, db *sqlx.DB, name, icsURL string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	_, err := db.Exec(`INSERT INTO room (id, name, user_id, platform, ics_url, ics_enabled) VALUES ($1, $2, 'owner', 'daily', $3, true)`,
		id, name, icsURL)
	require.NoError(t, err)
	return id
}

// sync runs a manual sync and requires it to succeed as a Go call.
func (b *testBundle) sync(t testing.TB, force bool) calendar.SyncResult {
	t.Helper()
	res, err := b.svc.SyncRoom(context.Background(), b.roomID, force)
	require.NoError(t, err)
	return res
}

// eventRow is a calendar_event row as the assertions read it.
type eventRow struct {
	UID          string     `db:"ics_uid"`
	RecurrenceID string     `db:"recurrence_id"`
	Start        time.Time  `db:"start_time"`
	IsDeleted    bool       `db:"is_deleted"`
	MeetingID    *uuid.UUID `db:"meeting_id"`
	Xmin         string     `db:"xmin"`
}

func (b *testBundle) events(t testing.TB) []eventRow {
	t.Helper()
	var rows []eventRow
	require.NoError(t, b.db.Select(&rows, `SELECT ics_uid, recurrence_id, start_time, is_deleted, meeting_id, xmin::text AS xmin
		FROM calendar_event WHERE room_id = $1 ORDER BY start_time, ics_uid, recurrence_id`, b.roomID))
	return rows
}

// roomXmin is the writing transaction of the room row: unchanged when nothing wrote it.
func (b *testBundle) roomXmin(t testing.TB) string {
	t.Helper()
	var x string
	require.NoError(t, b.db.Get(&x, `SELECT xmin::text FROM room WHERE id = $1`, b.roomID))
	return x
}

// dueTick is the first scheduler tick (whole minutes, the default SyncTick) at which the
// room, synced, is due after after: the tick on or past its next slot boundary.
func (b *testBundle) dueTick(after time.Time) time.Time {
	next := calendar.NextSlot(b.roomID, 300*time.Second, after)
	if tick := next.Truncate(time.Minute); tick.Equal(next) {
		return tick
	}
	return next.Truncate(time.Minute).Add(time.Minute)
}

func (b *testBundle) meetingIDs(t testing.TB) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	require.NoError(t, b.db.Select(&ids, `SELECT id FROM meeting WHERE room_id = $1 ORDER BY start_date`, b.roomID))
	return ids
}

func (b *testBundle) roomStatus(t testing.TB) (status, lastErr string) {
	t.Helper()
	var row struct {
		Status string `db:"status"`
		Err    string `db:"err"`
	}
	require.NoError(t, b.db.Get(&row, `SELECT COALESCE(ics_last_status, '') AS status, COALESCE(ics_last_error, '') AS err
		FROM room WHERE id = $1`, b.roomID))
	return row.Status, row.Err
}
