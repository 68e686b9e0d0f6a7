package daily_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

const meetingID = "0f8fad5b-d9cb-469f-a165-70867728950e"

func TestRoomName(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, meeting, room, want string }{
		{"uuid key", meetingID, "team-sync", "team-sync-0f8fad5bd9cb469fa16570867728950e"},
		{"sanitised", meetingID, "Café standup/1", "Caf--standup-1-0f8fad5bd9cb469fa16570867728950e"},
		{"empty room", meetingID, "", "room-0f8fad5bd9cb469fa16570867728950e"},
		{"non-uuid id is hashed", "42", "r", "r-73475cb40a568e8da8a045ced110137e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, daily.RoomName(tt.meeting, tt.room))
		})
	}
	long := daily.RoomName(meetingID, strings.Repeat("x", 300))
	require.Len(t, long, 128)
	require.True(t, strings.HasSuffix(long, "-0f8fad5bd9cb469fa16570867728950e"))
}

func TestCreateMeetingSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	end := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	tests := []struct {
		name string
		room platform.RoomSettings
		want map[string]any
		not  []string
	}{
		{"locked cloud room", platform.RoomSettings{Name: "a", IsLocked: true, RecordingType: "cloud"},
			map[string]any{"enable_knocking": true, "enable_chat": true, "exp": float64(end.Unix()),
				"recordings_bucket": map[string]any{"bucket_name": "rec-bucket", "bucket_region": "us-east-1",
					"assume_role_arn": "arn:aws:iam::1:role/daily", "allow_api_access": true}},
			[]string{"enable_recording"}},
		{"open local room", platform.RoomSettings{Name: "b", RecordingType: "local"},
			map[string]any{"enable_recording": "local"}, []string{"enable_knocking", "recordings_bucket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			m, err := b.client.CreateMeeting(ctx, platform.CreateRequest{MeetingID: meetingID, Room: tt.room, EndDate: end})
			require.NoError(t, err)
			room, err := b.client.Room(ctx, m.RoomName)
			require.NoError(t, err)
			require.Equal(t, map[bool]string{true: "private", false: "public"}[tt.room.IsLocked], room.Privacy)
			for k, v := range tt.want {
				require.Equal(t, v, room.Config[k], k)
			}
			for _, k := range tt.not {
				require.NotContains(t, room.Config, k)
			}
			require.Equal(t, room.ID, m.ProviderID)
			require.Equal(t, "https://emulator.daily.co/"+m.RoomName, m.RoomURL)
		})
	}
}

func TestCreateMeetingAdoptsARoomAnotherClientMade(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := daily.New(daily.Config{BaseURL: strings.TrimSuffix(roomBase(t, b), "/"), APIKey: "test-key"})
	req := platform.CreateRequest{MeetingID: meetingID, Room: platform.RoomSettings{Name: "r"}}
	first, err := other.CreateMeeting(context.Background(), req)
	require.NoError(t, err)
	second, err := b.client.CreateMeeting(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, first, second)
	require.Equal(t, 2, b.emu.CallCount(emulator.DailyCreateRoom))
	require.Equal(t, 1, b.emu.CallCount(emulator.DailyGetRoom))
}

// roomBase starts a second server on the same emulator state.
func roomBase(t *testing.T, b testBundle) string {
	t.Helper()
	srv := httptest.NewServer(b.emu.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDeleteExpiredRoomIsNil(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	m, err := b.client.CreateMeeting(ctx, platform.CreateRequest{MeetingID: meetingID,
		Room: platform.RoomSettings{Name: "r"}, EndDate: time.Now().Add(time.Minute)})
	require.NoError(t, err)
	b.emu.Advance(2 * time.Minute)
	require.False(t, b.emu.RoomExists(m.RoomName))
	_, err = b.client.Room(ctx, m.RoomName)
	require.ErrorIs(t, err, platform.ErrNotFound)
	require.NoError(t, b.client.DeleteRoom(ctx, m.RoomName))
}

func TestMeetingToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tok, err := b.client.MeetingToken(ctx, platform.TokenRequest{RoomName: "r", UserID: "u-1", IsOwner: true, EnableRecordingUI: true})
	require.NoError(t, err)
	require.Len(t, strings.Split(tok, "."), 3)
	_, err = b.client.MeetingToken(ctx, platform.TokenRequest{RoomName: "r", StartCloudRecording: true, Exp: time.Now().Add(time.Hour)})
	require.NoError(t, err)

	got := b.emu.TokenRequests()
	require.Equal(t, map[string]any{"room_name": "r", "user_id": "u-1", "is_owner": true,
		"enable_recording_ui": true, "eject_at_token_exp": false}, got[0])
	require.Equal(t, "cloud", got[1]["enable_recording"])
	require.Equal(t, true, got[1]["start_cloud_recording"])
	require.Contains(t, got[1], "exp")

	_, err = b.client.MeetingToken(ctx, platform.TokenRequest{RoomName: "r", Exp: time.Now().Add(-time.Hour)})
	var pe *platform.Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "invalid-request-error", pe.Type)
	require.Contains(t, pe.Message, "in the past")
}

func TestPresence(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	m, err := b.client.CreateMeeting(ctx, platform.CreateRequest{MeetingID: meetingID, Room: platform.RoomSettings{Name: "r"}})
	require.NoError(t, err)
	b.emu.Join(m.RoomName, "s-1", "u-1", "Ada")
	b.emu.Join(m.RoomName, "s-2", "", "")
	got, err := b.client.RoomSessions(ctx, m.RoomName)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "s-2", got[1].ID)
	require.Empty(t, got[1].UserID, "null userId")

	all, err := b.client.DomainPresence(ctx)
	require.NoError(t, err)
	require.Len(t, all[m.RoomName], 2)

	_, err = b.client.RoomPresence(ctx, "missing-room")
	require.ErrorIs(t, err, platform.ErrNotFound)
}

func TestWrongAPIKeyIsTyped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := daily.New(daily.Config{BaseURL: roomBase(t, b), APIKey: "wrong"})
	_, err := c.Room(context.Background(), "r")
	var pe *platform.Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, http.StatusUnauthorized, pe.Status)
	require.Equal(t, "authentication-error", pe.Type)
}
