package meeting_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"pgregory.net/rapid"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// The simulation drives the real lifecycle code (service, processor, decision, store on real
// Postgres, the Daily client against the Daily emulator) with a fake clock and a provider whose
// presence lags 0-15 s. Users join, sit in the WebRTC handshake (invisible to presence),
// connect, leave, close tabs and rejoin quickly; /joined calls get lost; process-meetings
// ticks at any moment. After every step it checks the invariants.

// simJobs runs a provider room delete right away, as a worker would after commit.
type simJobs struct{ platforms *platform.Registry }

func (j simJobs) DeleteProviderRoom(ctx context.Context, _ uuid.UUID, p, name string) error {
	c, err := j.platforms.Get(p)
	if err != nil {
		return err
	}
	return c.DeleteRoom(ctx, name)
}
func (simJobs) PollPresence(context.Context, uuid.UUID, time.Duration) error { return nil }

type userState int

const (
	idle userState = iota
	handshaking
	connected
)

type user struct {
	state     userState
	meetingID uuid.UUID
	room      string // provider room
	conn      string
	session   string
}

type world struct {
	db    *sqlx.DB
	clock *testkit.Clock
	emu   *emulator.Daily
	svc   *meeting.Service
	proc  *meeting.Processor
	users []*user
	seq   int
	ctx   context.Context
	viol  []string
	hunt  *hunt // when set, only the violations it hunts count
}

// hunt makes the simulation look for one kind of violation and remembers the first found.
type hunt struct {
	kind  string // prefix of the violation's text
	mu    sync.Mutex
	first string
}

func (h *hunt) found() string { h.mu.Lock(); defer h.mu.Unlock(); return h.first }

func (h *hunt) match(v string) bool {
	if !strings.HasPrefix(v, h.kind) {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.first == "" {
		h.first = v
	}
	return true
}

func newWorld(t *rapid.T, db *sqlx.DB, off bool) *world {
	ctx := context.Background()
	_, err := db.Exec(`TRUNCATE room CASCADE`)
	if err != nil {
		t.Fatalf("truncate: %v", err)
	}
	clk := testkit.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	minLag := 0
	if off { // the safeguards cover for lagging presence: look where they matter
		minLag = 5
	}
	lag := time.Duration(rapid.IntRange(minLag, 15).Draw(t, "presence_lag_s")) * time.Second
	emu := emulator.NewDaily(emulator.DailyOptions{APIKey: "k", Now: clk.Now, PresenceLag: lag})
	url, stop := emu.Start()
	t.Cleanup(stop)
	reg := platform.NewRegistry(daily.New(daily.Config{BaseURL: url, APIKey: "k", RatePerSecond: 10000,
		DeleteRatePerSecond: 10000, MaxRetries: 1, Now: clk.Now}))
	rooms := room.NewService(room.Config{Store: store.NewRoomStore(db), Platforms: reg.Names(),
		PlatformFor: func(uuid.UUID) string { return platform.Daily }, Now: clk.Now})
	zero := 0
	if _, err := rooms.Create(ctx, "owner", room.Input{Name: "sim", GracePeriodMinutes: &zero, RecordingType: "none"}); err != nil {
		t.Fatalf("room: %v", err)
	}
	jobs := simJobs{platforms: reg}
	w := &world{db: db, clock: clk, emu: emu, ctx: ctx}
	cfg, deps := apptest.Config(), setup.LifecycleDeps{DB: db, Platforms: reg, Jobs: jobs, Log: zap.NewNop()}
	w.svc = setup.MeetingService(cfg, deps, func(c *meeting.Config) { c.Now, c.SafeguardsOff = clk.Now, off })
	w.proc = setup.Processor(cfg, deps, func(c *meeting.ProcessorConfig) { c.Now, c.SafeguardsOff = clk.Now, off })
	for range 4 {
		w.users = append(w.users, &user{})
	}
	return w
}

func (w *world) violate(format string, args ...any) {
	if v := fmt.Sprintf(format, args...); w.hunt == nil || w.hunt.match(v) {
		w.viol = append(w.viol, v)
	}
}

func (w *world) join(u *user) {
	w.seq++
	u.conn = fmt.Sprintf("conn-%d", w.seq)
	h, err := w.svc.GetOrCreate(w.ctx, "sim", "", u.conn, false)
	if err != nil {
		return // a refused handout is not a split; the client retries
	}
	if !w.emu.RoomExists(h.Meeting.RoomName) {
		w.violate("user sent to deleted provider room %s", h.Meeting.RoomName)
	}
	u.state, u.meetingID, u.room = handshaking, h.Meeting.ID, h.Meeting.RoomName
}

func (w *world) connect(u *user, lostJoined bool) {
	if !w.emu.RoomExists(u.room) {
		w.violate("user connected in deleted provider room %s", u.room)
		u.state = idle
		return
	}
	w.seq++
	u.session = fmt.Sprintf("sess-%d", w.seq)
	w.emu.Join(u.room, u.session, "", "sim")
	u.state = connected
	if !lostJoined {
		_ = w.svc.Joined(w.ctx, "sim", u.meetingID, "", u.conn, u.session, "sim")
	}
}

func (w *world) leave(u *user, lostBeacon bool) {
	w.emu.Leave(u.room, u.session)
	if !lostBeacon {
		_ = w.svc.Leave(w.ctx, "sim", u.meetingID, u.conn, u.session, 0)
	}
	u.state = idle
}

// advance moves the clock; clients in the handshake refresh their intent as the web app does
// every few seconds, and rejoin when told their meeting ended.
func (w *world) advance(d time.Duration) {
	w.clock.Advance(d)
	for _, u := range w.users {
		if u.state != handshaking {
			continue
		}
		var gone *meeting.GoneError
		if err := w.svc.Joining(w.ctx, "sim", u.meetingID, "", u.conn); errors.As(err, &gone) {
			u.state = idle
		}
	}
}

func (w *world) tick() {
	if _, err := w.proc.Run(w.ctx); err != nil {
		w.violate("tick failed: %v", err)
	}
}

// check is the invariant: connected users are all in one live provider room.
func (w *world) check() {
	rooms := map[string]bool{}
	for _, u := range w.users {
		if u.state != connected {
			continue
		}
		rooms[u.room] = true
		if !w.emu.RoomExists(u.room) {
			w.violate("user connected in deleted provider room %s", u.room)
		}
	}
	if len(rooms) > 1 {
		w.violate("split: connected users in %d provider rooms", len(rooms))
	}
}

// drain: everyone leaves, time passes beyond every window, ticks run: nothing stays active.
func (w *world) drain() {
	for _, u := range w.users {
		if u.state == connected {
			w.leave(u, false)
		}
		u.state = idle
	}
	for range 12 {
		w.clock.Advance(10 * time.Second)
		w.tick()
	}
	var n int
	_ = w.db.Get(&n, `SELECT count(*) FROM meeting WHERE is_active AND ever_joined`)
	if n > 0 {
		w.violate("meeting kept active after everyone left and grace expired (%d)", n)
	}
	// A meeting nobody ever joined lives until its end date, and not a tick longer.
	w.clock.Advance(9 * time.Hour)
	w.tick()
	_ = w.db.Get(&n, `SELECT count(*) FROM meeting WHERE is_active`)
	if n > 0 {
		w.violate("meeting kept active past its end date (%d)", n)
	}
}

// simulate runs the world; a hunt, when given, restricts the violations that fail it.
func simulate(db *sqlx.DB, off bool, h *hunt) func(*rapid.T) {
	return func(t *rapid.T) {
		w := newWorld(t, db, off)
		w.hunt = h
		pick := func(t *rapid.T, s userState) *user {
			var c []*user
			for _, u := range w.users {
				if u.state == s {
					c = append(c, u)
				}
			}
			if len(c) == 0 {
				t.Skip("no user in that state")
			}
			return rapid.SampledFrom(c).Draw(t, "user")
		}
		t.Repeat(map[string]func(*rapid.T){
			"join":      func(t *rapid.T) { w.join(pick(t, idle)) },
			"connect":   func(t *rapid.T) { w.connect(pick(t, handshaking), rapid.Float64Range(0, 1).Draw(t, "p") < 0.2) },
			"leave":     func(t *rapid.T) { w.leave(pick(t, connected), rapid.Float64Range(0, 1).Draw(t, "p") < 0.2) },
			"close_tab": func(t *rapid.T) { pick(t, handshaking).state = idle },
			"rejoin": func(t *rapid.T) {
				u := pick(t, connected)
				w.leave(u, false)
				w.join(u)
			},
			"advance": func(t *rapid.T) { w.advance(time.Duration(rapid.IntRange(1, 10).Draw(t, "s")) * time.Second) },
			"tick":    func(*rapid.T) { w.tick() },
			"": func(t *rapid.T) {
				w.check()
				if len(w.viol) > 0 {
					t.Fatalf("invariant violated: %v", w.viol)
				}
			},
		})
		w.drain()
		if len(w.viol) > 0 {
			t.Fatalf("invariant violated: %v", w.viol)
		}
	}
}

// TestMain keeps the simulation's default size within a CI budget; -rapid.checks overrides it.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == "100" {
		_ = flag.Set("rapid.checks", "40")
	}
	os.Exit(m.Run())
}

func TestSimulationSafeguardsHold(t *testing.T) {
	t.Parallel()
	db := storetest.NewDB(t)
	rapid.Check(t, simulate(db, false, nil))
}

// splitHuntRounds bounds how many rapid runs the safeguards-off test spends looking for a split.
// Measured idle: about one run in three finds none, so five rounds still missed now and then
// (a clean-clone make test did); a miss in 20 is ~1e-9, and a passing hunt stops at the find.
const splitHuntRounds = 20

// TestSimulationFindsSplitWithoutSafeguards proves the simulation can fail: with the room lock
// off, intents ignored and no confirmation, it must find a split (orphans don't count here).
func TestSimulationFindsSplitWithoutSafeguards(t *testing.T) {
	t.Parallel()
	db := storetest.NewDB(t)
	rec := &recorder{TB: t}
	h := &hunt{kind: "split"}
	split := simulate(db, true, h)
	// A split needs a lucky interleaving, and each rapid.Check draws a fresh seed: a few rounds
	// make "none found" mean the safeguards-off world cannot split, not that this seed was dull.
	rounds := 0
	for ; rounds < splitHuntRounds && h.found() == ""; rounds++ {
		rapid.Check(rec, func(t *rapid.T) {
			if h.found() != "" {
				return // one split is the proof: skip the slow shrinking of the counterexample
			}
			split(t)
		})
	}
	require.True(t, rec.failed, "the simulation found no violation with the safeguards off")
	require.NotEmpty(t, h.found(), "the simulation found no split with the safeguards off")
	t.Logf("split found as expected after %d rapid run(s): %s", rounds, h.found())
}

// recorder stands in for *testing.T so a failing rapid run is observed instead of failing.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed bool
	msg    string
}

func (r *recorder) fail(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	if r.msg == "" {
		r.msg = msg
	}
}
func (r *recorder) Errorf(f string, a ...any) { r.fail(fmt.Sprintf(f, a...)) }
func (r *recorder) Error(a ...any)            { r.fail(fmt.Sprint(a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.fail(fmt.Sprintf(f, a...)) }
func (r *recorder) Fatal(a ...any)            { r.fail(fmt.Sprint(a...)) }
func (r *recorder) FailNow()                  { r.fail("FailNow") }
func (r *recorder) Fail()                     { r.fail("Fail") }
func (r *recorder) Failed() bool              { r.mu.Lock(); defer r.mu.Unlock(); return r.failed }
func (r *recorder) Logf(string, ...any)       {}
func (r *recorder) Log(...any)                {}
