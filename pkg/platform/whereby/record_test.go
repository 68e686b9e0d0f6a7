package whereby_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
)

// TestStartRecordingIsTheRooms: Whereby records from the room's own settings, so a start
// makes no call and answers ByRoom.
func TestStartRecordingIsTheRooms(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res, err := b.client.StartRecording(context.Background(), platform.RecordingStartRequest{RoomName: "/x", Type: "cloud", InstanceID: meetingID})
	require.NoError(t, err)
	require.Equal(t, platform.RecordingStart{ByRoom: true}, res)
	require.Zero(t, b.emu.TotalCalls())
}
