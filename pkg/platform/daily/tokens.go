package daily

import (
	"context"
	"net/http"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

type tokenProperties struct {
	RoomName            string `json:"room_name"`
	UserID              string `json:"user_id,omitempty"` // Daily: max 36 chars
	IsOwner             bool   `json:"is_owner"`
	EnableRecordingUI   bool   `json:"enable_recording_ui"`
	EjectAtTokenExp     bool   `json:"eject_at_token_exp"`
	EnableRecording     string `json:"enable_recording,omitempty"`
	StartCloudRecording bool   `json:"start_cloud_recording,omitempty"`
	Exp                 int64  `json:"exp,omitempty"`
}

// MeetingToken mints a meeting token (POST /meeting-tokens). Without req.Exp the token has
// no expiry of its own and the room's exp applies, as in reflector. StartCloudRecording also
// sets enable_recording "cloud" on the token, which Daily requires for it.
func (c *Client) MeetingToken(ctx context.Context, req platform.TokenRequest) (string, error) {
	props := tokenProperties{RoomName: req.RoomName, UserID: req.UserID, IsOwner: req.IsOwner,
		EnableRecordingUI: req.EnableRecordingUI, StartCloudRecording: req.StartCloudRecording}
	if req.StartCloudRecording {
		props.EnableRecording = "cloud"
	}
	if !req.Exp.IsZero() {
		props.Exp = req.Exp.Unix()
	}
	var resp struct {
		Token string `json:"token"`
	}
	err := c.do(ctx, httpcall.Request{Op: "MeetingToken", Method: http.MethodPost, Path: "/meeting-tokens",
		Body: map[string]tokenProperties{"properties": props}, Idempotent: true}, &resp)
	if err != nil {
		return "", err
	}
	if resp.Token == "" {
		return "", &platform.Error{Provider: platform.Daily, Op: "MeetingToken", Status: http.StatusOK,
			Message: "response has no token", Err: platform.ErrMalformed}
	}
	return resp.Token, nil
}
