package platform

import "context"

// Recording types a participant's client asks to start (the original's StartRecordingRequest).
const (
	RecordingCloud     = "cloud"
	RecordingRawTracks = "raw-tracks"
)

// RecordingStartRequest asks a provider to start recording a room.
type RecordingStartRequest struct {
	RoomName   string // the provider's room name
	Type       string // RecordingCloud | RecordingRawTracks
	InstanceID string // one per recording of a room; a cloud and a raw-tracks recording need different ones
}

// RecordingStart is a provider's answer to a start.
type RecordingStart struct {
	// AlreadyActive: the recording was already running (another participant started it);
	// not an error.
	AlreadyActive bool
	// ByRoom: the provider starts recordings from the room's own settings (Whereby), so
	// there was nothing to start.
	ByRoom bool
	// Result is the provider's response body, passed through to the client.
	Result map[string]any
}

// RecordingStarter starts a cloud recording of a provider room.
type RecordingStarter interface {
	StartRecording(ctx context.Context, req RecordingStartRequest) (RecordingStart, error)
}
