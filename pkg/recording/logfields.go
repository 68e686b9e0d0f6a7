package recording

import (
	"github.com/google/uuid"
	"go.uber.org/zap"
)

// LogFields are the ids every lifecycle log line about a recording carries: recording_id,
// meeting_id and room_id (empty for an orphan), platform and the provider's recording id,
// followed by more.
func (r Recording) LogFields(more ...zap.Field) []zap.Field {
	return append([]zap.Field{zap.Stringer("recording_id", r.ID), optionalID("meeting_id", r.MeetingID),
		optionalID("room_id", r.RoomID), zap.String("platform", r.Platform),
		zap.String("provider_recording_id", r.ProviderRecordingID)}, more...)
}

// LogFields are the ids of a transcript's log lines: transcript_id, generation, recording_id,
// meeting_id and room_id, followed by more.
func (t Transcript) LogFields(more ...zap.Field) []zap.Field {
	return append([]zap.Field{zap.Stringer("transcript_id", t.ID), zap.Int("generation", t.Generation),
		zap.Stringer("recording_id", t.RecordingID), zap.Stringer("meeting_id", t.MeetingID),
		zap.Stringer("room_id", t.RoomID)}, more...)
}

// LogFields are the ids of a meeting's log lines in the recording flow.
func (m Meeting) LogFields(more ...zap.Field) []zap.Field {
	return append([]zap.Field{zap.Stringer("meeting_id", m.ID), zap.Stringer("room_id", m.RoomID),
		zap.String("platform", m.Platform), zap.String("room_name", m.RoomName)}, more...)
}

// optionalID logs a nullable id as "" when it is nil, so the key is always there.
func optionalID(key string, id *uuid.UUID) zap.Field {
	if id == nil {
		return zap.String(key, "")
	}
	return zap.Stringer(key, *id)
}

// registered logs a recording row just created: an orphan (no meeting found) as a warning
// with its reason.
func (s *Service) registered(rec Recording) {
	if rec.MeetingID == nil {
		s.log.Warn("orphan recording", rec.LogFields(zap.String("key", rec.ObjectKey), zap.String("reason", rec.OrphanReason))...)
		return
	}
	s.log.Info("recording registered", rec.LogFields(zap.String("kind", string(rec.Kind)), zap.String("status", string(rec.Status)))...)
}
