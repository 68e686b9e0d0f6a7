package whereby_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

const meetingID = "0f8fad5b-d9cb-469f-a165-70867728950e"

func TestRoomNamePrefix(t *testing.T) {
	t.Parallel()
	p := whereby.RoomNamePrefix(meetingID, "Team Sync: Weekly Planning Meeting")
	require.Equal(t, "teamsync-weeklyplann-", p[:21])
	require.LessOrEqual(t, len(p), 39)
	require.True(t, strings.HasSuffix(p, "-"))
	require.Equal(t, p, whereby.RoomNamePrefix(meetingID, "Team Sync: Weekly Planning Meeting"))
	require.NotEqual(t, p, whereby.RoomNamePrefix("another", "Team Sync: Weekly Planning Meeting"))
	require.True(t, strings.HasPrefix(whereby.RoomNamePrefix(meetingID, ""), "room-"))
}

func TestCreateMeetingRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	end := time.Date(2099, 2, 18, 14, 23, 0, 0, time.UTC)
	m, err := b.client.CreateMeeting(context.Background(), platform.CreateRequest{MeetingID: meetingID, EndDate: end,
		Room: platform.RoomSettings{Name: "team", IsLocked: true, RoomMode: "group", RecordingType: "cloud", RecordingTrigger: "automatic-2nd-participant"}})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(m.RoomName, "/"+whereby.RoomNamePrefix(meetingID, "team")))
	require.True(t, strings.HasPrefix(m.HostRoomURL, m.RoomURL+"?roomKey="))

	reqs := b.emu.CreateRequests()
	require.Len(t, reqs, 1)
	require.JSONEq(t, `{"endDate":"2099-02-18T14:23:00.000Z","isLocked":true,
		"roomNamePrefix":"`+whereby.RoomNamePrefix(meetingID, "team")+`","roomNamePattern":"uuid","roomMode":"group",
		"fields":["hostRoomUrl"],"recording":{"type":"cloud","startTrigger":"automatic-2nd-participant",
		"destination":{"provider":"s3","authenticationType":"accessKey","bucket":"rec-bucket/whereby",
		"accessKeyId":"AKIA","accessKeySecret":"s3cr3t","fileFormat":"mp4"}}}`, string(reqs[0]))
}

func TestCreateMeetingAdoptsAcrossClients(t *testing.T) {
	t.Parallel()
	b := setup(t)
	url, stop := b.emu.Start()
	t.Cleanup(stop)
	other := whereby.New(whereby.Config{BaseURL: url, APIKey: "test-key", RatePerSecond: 10000})
	req := platform.CreateRequest{MeetingID: meetingID, EndDate: time.Now().Add(time.Hour), Room: platform.RoomSettings{Name: "r"}}
	first, err := other.CreateMeeting(context.Background(), req)
	require.NoError(t, err)
	second, err := b.client.CreateMeeting(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, first, second)
	require.Equal(t, 1, b.emu.CallCount(emulator.WherebyCreateMeeting))
}

// TestCreateMeetingLosingARaceAdoptsTheEarlier hides the other process's meeting from the
// first listing, as if both created at once: the later meeting is deleted.
func TestCreateMeetingLosingARaceAdoptsTheEarlier(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := platform.CreateRequest{MeetingID: meetingID, EndDate: time.Now().Add(time.Hour), Room: platform.RoomSettings{Name: "r"}}
	url, stop := b.emu.Start()
	t.Cleanup(stop)
	earlier, err := whereby.New(whereby.Config{BaseURL: url, APIKey: "test-key", RatePerSecond: 10000}).CreateMeeting(context.Background(), req)
	require.NoError(t, err)
	b.emu.Advance(time.Second)

	var hidden atomic.Bool
	h := b.emu.Handler()
	racy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/meetings" && hidden.CompareAndSwap(false, true) {
			_ = json.NewEncoder(w).Encode(map[string]any{"results": []any{}, "cursor": nil})
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(racy.Close)
	got, err := whereby.New(whereby.Config{BaseURL: racy.URL, APIKey: "test-key", RatePerSecond: 10000}).CreateMeeting(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, earlier, got)
	require.Equal(t, []string{earlier.RoomName}, b.emu.Rooms())
	require.Len(t, b.emu.Deleted(), 1)
}

func TestDeleteRoomByMeetingID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	m, err := b.client.CreateMeeting(ctx, platform.CreateRequest{MeetingID: meetingID, EndDate: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	require.NoError(t, b.client.DeleteRoom(ctx, m.ProviderID))
	require.False(t, b.emu.RoomExists(m.RoomName))
	require.Equal(t, []string{m.RoomName}, b.emu.Deleted())
	b.emu.FailNext(emulator.WherebyDeleteMeeting, 1, emulator.Fault{Status: http.StatusNotFound})
	require.NoError(t, b.client.DeleteRoom(ctx, m.ProviderID), "404 is tolerated")
}

func TestRoomSessions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	m, err := b.client.CreateMeeting(ctx, platform.CreateRequest{MeetingID: meetingID, EndDate: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	b.emu.Join(m.RoomName, "p-1", "", "Ada")
	b.emu.Join(m.RoomName, "p-2", "", "Bob")
	b.emu.Leave(m.RoomName, "p-1")
	got, err := b.client.RoomSessions(ctx, strings.TrimPrefix(m.RoomName, "/"))
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Nil(t, got[0].LeftAt, "Bob is still there")
	b.emu.Leave(m.RoomName, "p-2")
	b.emu.Join(m.RoomName, "p-3", "", "Cy")
	got, err = b.client.RoomSessions(ctx, m.RoomName)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.NotNil(t, got[0].LeftAt)
	require.Nil(t, got[1].LeftAt)
	require.NotEqual(t, got[0].ID, got[1].ID)
}

func TestRateLimitMsLeftIsHonoured(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.emu.FailNext(emulator.WherebyCreateMeeting, 1, emulator.Fault{Status: http.StatusTooManyRequests,
		Body: `{"error":"Rate limit active for throttle key: organization:1","data":{"msLeft":30}}`})
	_, err := b.client.CreateMeeting(context.Background(), platform.CreateRequest{MeetingID: meetingID, EndDate: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	require.Equal(t, 2, b.emu.CallCount(emulator.WherebyCreateMeeting))
}
