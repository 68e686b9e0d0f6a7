package whereby

import (
	"context"

	"github.com/monadical/reflector-go/pkg/platform"
)

var _ platform.RecordingStarter = (*Client)(nil)

// StartRecording makes no call: a Whereby room records according to the recording settings
// it was created with (cloud recording started by the room), so there is nothing to start.
func (c *Client) StartRecording(context.Context, platform.RecordingStartRequest) (platform.RecordingStart, error) {
	return platform.RecordingStart{ByRoom: true}, nil
}
