// Package platformtest is the conformance suite every platform.Client passes against its
// provider's emulator: idempotent and race-safe creates, deletes, sessions under presence
// lag, tokens, typed failures, retries, the circuit breaker and webhook verification.
package platformtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// Emulator is the part of a provider emulator the suite drives; *emulator.Daily and
// *emulator.Whereby implement it.
type Emulator interface {
	Join(roomName, sessionID, userID, userName string)
	Leave(roomName, sessionID string)
	RoomExists(name string) bool
	Rooms() []string
	FailNext(endpoint string, n int, f emulator.Fault)
	SetPresenceLag(d time.Duration)
	Advance(d time.Duration)
	Now() time.Time
	CallCount(endpoint string) int
	SendWebhook(ctx context.Context, url string, event any) (*http.Response, error)
}

// Endpoints names the emulator endpoints behind the Client methods.
type Endpoints struct {
	Create   string // CreateMeeting's create call
	Sessions string // RoomSessions' call
}

// Harness is one client wired to a fresh emulator. The client should use a short retry
// backoff; the suite waits out real Retry-After seconds only once.
type Harness struct {
	Client    platform.Client
	Emulator  Emulator
	Endpoints Endpoints
	// Event returns a webhook event for a provider room, for the signature tests.
	Event func(roomName string) any
}

// Exercise runs the suite; newHarness must return an independent harness on every call.
func Exercise(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	t.Run("Create", func(t *testing.T) { t.Parallel(); exerciseCreate(t, newHarness) })
	t.Run("Delete", func(t *testing.T) { t.Parallel(); exerciseDelete(t, newHarness) })
	t.Run("Sessions", func(t *testing.T) { t.Parallel(); exerciseSessions(t, newHarness) })
	t.Run("Failures", func(t *testing.T) { t.Parallel(); exerciseFailures(t, newHarness) })
	t.Run("Webhook", func(t *testing.T) { t.Parallel(); exerciseWebhook(t, newHarness) })
}

// request returns a create request with a fresh random (v4) meeting id.
func request(room string) platform.CreateRequest {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return platform.CreateRequest{
		MeetingID: fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]),
		Room:      platform.RoomSettings{Name: room, RoomMode: "normal", RecordingType: "cloud", RecordingTrigger: "automatic-2nd-participant"},
		EndDate:   time.Now().Add(8 * time.Hour),
	}
}

func create(t *testing.T, h Harness, req platform.CreateRequest) platform.Meeting {
	t.Helper()
	m, err := h.Client.CreateMeeting(context.Background(), req)
	require.NoError(t, err)
	return m
}

func exerciseCreate(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("CreatesARoom", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		m := create(t, h, request("team-sync"))
		require.NotEmpty(t, m.ProviderID)
		require.NotEmpty(t, m.RoomURL)
		require.NotEmpty(t, m.HostRoomURL)
		require.True(t, h.Emulator.RoomExists(m.RoomName), "room %q not in %v", m.RoomName, h.Emulator.Rooms())
	})
	t.Run("SameMeetingTwiceAdoptsTheRoom", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		req := request("team-sync")
		first, second := create(t, h, req), create(t, h, req)
		require.Equal(t, first, second)
		require.Len(t, h.Emulator.Rooms(), 1)
	})
	t.Run("ConcurrentCreatesMakeOneRoom", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		req := request("team-sync")
		const n = 8
		got := make([]platform.Meeting, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { got[i], errs[i] = h.Client.CreateMeeting(context.Background(), req) })
		}
		wg.Wait()
		for i, m := range got {
			require.NoError(t, errs[i])
			require.Equal(t, got[0].RoomName, m.RoomName)
		}
		require.Len(t, h.Emulator.Rooms(), 1)
	})
	t.Run("DifferentMeetingsGetDifferentRooms", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		a, b := create(t, h, request("team-sync")), create(t, h, request("team-sync"))
		require.NotEqual(t, a.RoomName, b.RoomName)
		require.Len(t, h.Emulator.Rooms(), 2)
	})
}

func exerciseDelete(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("DeletesTheRoom", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		m := create(t, h, request("standup"))
		require.NoError(t, h.Client.DeleteRoom(context.Background(), m.RoomName))
		require.False(t, h.Emulator.RoomExists(m.RoomName))
	})
	t.Run("DeleteTwiceAndUnknownAreNil", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		m := create(t, h, request("standup"))
		require.NoError(t, h.Client.DeleteRoom(context.Background(), m.RoomName))
		require.NoError(t, h.Client.DeleteRoom(context.Background(), m.RoomName))
		require.NoError(t, h.Client.DeleteRoom(context.Background(), "never-existed"))
	})
	t.Run("ListedRoomsDeleteByRef", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		lister, ok := h.Client.(platform.RoomLister)
		if !ok {
			return // the orphan sweep skips providers that cannot list
		}
		m := create(t, h, request("standup"))
		rooms, err := lister.ListRooms(context.Background(), 2)
		require.NoError(t, err)
		require.Len(t, rooms, 1)
		require.Equal(t, m.RoomName, rooms[0].Name)
		require.WithinDuration(t, time.Now(), rooms[0].CreatedAt, time.Minute)
		require.NoError(t, h.Client.DeleteRoom(context.Background(), rooms[0].Ref))
		require.False(t, h.Emulator.RoomExists(m.RoomName))
	})
}

func open(sessions []platform.Session) []platform.Session {
	var out []platform.Session
	for _, s := range sessions {
		if s.LeftAt == nil {
			out = append(out, s)
		}
	}
	return out
}

func exerciseSessions(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("FollowJoinAndLeaveAfterTheLag", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		ctx := context.Background()
		m := create(t, h, request("standup"))
		openSessions := func() int {
			t.Helper()
			s, err := h.Client.RoomSessions(ctx, m.RoomName)
			require.NoError(t, err)
			return len(open(s))
		}
		const lag = 15 * time.Second
		h.Emulator.SetPresenceLag(lag)
		h.Emulator.Join(m.RoomName, "s-1", "u-1", "Ada")
		require.Equal(t, 0, openSessions(), "join visible before the lag")
		h.Emulator.Advance(lag)
		require.Equal(t, 1, openSessions())
		h.Emulator.Leave(m.RoomName, "s-1")
		require.Equal(t, 1, openSessions(), "leave visible before the lag")
		h.Emulator.Advance(lag)
		require.Equal(t, 0, openSessions())
	})
	t.Run("PresenceReaders", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		ctx := context.Background()
		m := create(t, h, request("standup"))
		h.Emulator.Join(m.RoomName, "s-1", "u-1", "Ada")
		if pr, ok := h.Client.(platform.PresenceReader); ok {
			got, err := pr.RoomPresence(ctx, m.RoomName)
			require.NoError(t, err)
			require.Len(t, got, 1)
			require.Equal(t, platform.Session{ID: "s-1", UserID: "u-1", UserName: "Ada", JoinedAt: got[0].JoinedAt}, got[0])
		}
		if dr, ok := h.Client.(platform.DomainPresenceReader); ok {
			got, err := dr.DomainPresence(ctx)
			require.NoError(t, err)
			require.Len(t, got, 1)
			require.Len(t, got[m.RoomName], 1)
		}
	})
	t.Run("Tokens", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		ti, ok := h.Client.(platform.TokenIssuer)
		if !ok {
			t.Skip("client issues no tokens")
		}
		m := create(t, h, request("standup"))
		tok, err := ti.MeetingToken(context.Background(), platform.TokenRequest{RoomName: m.RoomName, UserID: "u-1", IsOwner: true})
		require.NoError(t, err)
		require.NotEmpty(t, tok)
	})
}

func exerciseFailures(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := context.Background()
	t.Run("ServerErrorIsUnavailable", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.Emulator.FailNext(h.Endpoints.Create, 10, emulator.Fault{Status: http.StatusServiceUnavailable})
		_, err := h.Client.CreateMeeting(ctx, request("standup"))
		require.ErrorIs(t, err, platform.ErrUnavailable)
		var pe *platform.Error
		require.ErrorAs(t, err, &pe)
		require.Equal(t, http.StatusServiceUnavailable, pe.Status)
	})
	t.Run("RateLimitIsRetriedAfterRetryAfter", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.Emulator.FailNext(h.Endpoints.Create, 1, emulator.Fault{Status: http.StatusTooManyRequests,
			Header: http.Header{"Retry-After": {"1"}}})
		start := time.Now()
		create(t, h, request("standup"))
		require.GreaterOrEqual(t, time.Since(start), time.Second)
		require.Equal(t, 2, h.Emulator.CallCount(h.Endpoints.Create))
	})
	t.Run("NotFoundIsTyped", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.Emulator.FailNext(h.Endpoints.Sessions, 1, emulator.Fault{Status: http.StatusNotFound})
		_, err := h.Client.RoomSessions(ctx, "missing")
		require.ErrorIs(t, err, platform.ErrNotFound)
	})
	t.Run("MalformedResponseIsTyped", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.Emulator.FailNext(h.Endpoints.Create, 1, emulator.Fault{Status: http.StatusOK, Body: `{"id": 12`})
		_, err := h.Client.CreateMeeting(ctx, request("standup"))
		require.ErrorIs(t, err, platform.ErrMalformed)
	})
	t.Run("BreakerStopsCallingAFailingProvider", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.Emulator.FailNext(h.Endpoints.Create, 1000, emulator.Fault{Status: http.StatusInternalServerError})
		before := -1
		for range 30 {
			_, err := h.Client.CreateMeeting(ctx, request("standup"))
			require.ErrorIs(t, err, platform.ErrUnavailable)
			n := h.Emulator.CallCount(h.Endpoints.Create)
			if n == before {
				return // the call was refused without reaching the provider
			}
			before = n
		}
		t.Fatal("30 failing calls in a row never opened the breaker")
	})
}

// captured is one webhook request as the receiver saw it.
type captured struct {
	header http.Header
	body   []byte
}

func receive(t *testing.T) (string, <-chan captured) {
	t.Helper()
	got := make(chan captured, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- captured{header: r.Header.Clone(), body: body}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, got
}

func exerciseWebhook(t *testing.T, newHarness func(t *testing.T) Harness) {
	h := newHarness(t)
	url, got := receive(t)
	resp, err := h.Emulator.SendWebhook(context.Background(), url, h.Event("standup"))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	req := <-got
	now := h.Emulator.Now()
	require.NoError(t, h.Client.VerifyWebhook(req.header, req.body, now))

	tampered := append([]byte{}, req.body...)
	tampered[len(tampered)/2] ^= 1
	for name, check := range map[string]error{
		"TamperedBody":    h.Client.VerifyWebhook(req.header, tampered, now),
		"StaleTimestamp":  h.Client.VerifyWebhook(req.header, req.body, now.Add(time.Hour)),
		"FutureTimestamp": h.Client.VerifyWebhook(req.header, req.body, now.Add(-time.Hour)),
		"MissingHeaders":  h.Client.VerifyWebhook(http.Header{}, req.body, now),
	} {
		require.ErrorIs(t, check, platform.ErrBadSignature, name)
	}
}
