package daily

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

var _ platform.RecordingStarter = (*Client)(nil)

// activeStream is the text of Daily's 400 when the instance is already recording.
const activeStream = "has an active stream"

// StartRecording starts a cloud or raw-tracks recording of a room (POST
// /rooms/:name/recordings/start, camelCase body). Daily's 400 "has an active stream" means
// another participant started it already: AlreadyActive, not an error.
func (c *Client) StartRecording(ctx context.Context, req platform.RecordingStartRequest) (platform.RecordingStart, error) {
	body := map[string]string{"type": req.Type, "instanceId": req.InstanceID}
	var out map[string]any
	err := c.do(ctx, httpcall.Request{Op: "StartRecording", Method: http.MethodPost,
		Path: "/rooms/" + seg(req.RoomName) + "/recordings/start", Body: body}, &out)
	var pe *platform.Error
	switch {
	case errors.As(err, &pe) && pe.Status == http.StatusBadRequest && strings.Contains(pe.Message, activeStream):
		return platform.RecordingStart{AlreadyActive: true}, nil
	case err != nil:
		return platform.RecordingStart{}, err
	}
	if out == nil {
		out = map[string]any{} // Daily may answer with an empty body
	}
	return platform.RecordingStart{Result: out}, nil
}
