package meeting_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/room"
)

func TestVisibleHidesTheHostURLFromAllButTheOwner(t *testing.T) {
	t.Parallel()
	r := room.Room{UserID: "owner"}
	wb := meeting.Meeting{Platform: platform.Whereby, RoomURL: "https://w/r", HostRoomURL: "https://w/r?roomKey=k"}
	for _, user := range []string{"", "someone"} {
		require.Empty(t, meeting.Visible(r, wb, user).HostRoomURL, "caller %q", user)
		require.Equal(t, wb.RoomURL, meeting.Visible(r, wb, user).RoomURL)
	}
	require.Equal(t, wb.HostRoomURL, meeting.Visible(r, wb, "owner").HostRoomURL)
}
