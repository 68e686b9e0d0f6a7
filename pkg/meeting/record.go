package meeting

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/platform"
)

// ErrRecordingFailed: the provider refused or failed to start a recording.
var ErrRecordingFailed = errors.New("meeting: recording start failed")

// StartRecording starts a provider recording of a meeting, as every participant's web app
// does for a cloud-recorded Daily meeting. A recording already running is not an error
// (AlreadyActive); a provider without a start call (Whereby) answers ByRoom.
func (s *Service) StartRecording(ctx context.Context, id uuid.UUID, typ string, instance uuid.UUID) (platform.RecordingStart, error) {
	m, err := s.cfg.Store.MeetingByID(ctx, id)
	if err != nil {
		return platform.RecordingStart{}, fmt.Errorf("meeting.StartRecording: %w", err)
	}
	c, err := s.cfg.Platforms.Get(m.Platform)
	if err != nil {
		return platform.RecordingStart{}, fmt.Errorf("meeting.StartRecording: %w", err)
	}
	rs, ok := c.(platform.RecordingStarter)
	if !ok {
		return platform.RecordingStart{ByRoom: true}, nil
	}
	res, err := rs.StartRecording(ctx, platform.RecordingStartRequest{RoomName: m.RoomName, Type: typ, InstanceID: instance.String()})
	if err != nil {
		return platform.RecordingStart{}, errors.Join(ErrRecordingFailed, err)
	}
	return res, nil
}

// autoRecords reports whether a participant's token starts the cloud recording itself: the
// room records to the cloud and its trigger is automatic (seed 003's token-based
// auto-recording).
func autoRecords(m Meeting) bool {
	return m.RecordingType == "cloud" && m.RecordingTrigger == "automatic"
}
