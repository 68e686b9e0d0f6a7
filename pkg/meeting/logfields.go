package meeting

import "go.uber.org/zap"

// LogFields are the ids every lifecycle log line about a meeting carries (meeting_id,
// room_id, platform, room_name: the provider room), followed by more.
func LogFields(m Meeting, more ...zap.Field) []zap.Field {
	return append([]zap.Field{zap.Stringer("meeting_id", m.ID), zap.Stringer("room_id", m.RoomID),
		zap.String("platform", m.Platform), zap.String("room_name", m.RoomName)}, more...)
}

// LogFields are the ids of an active meeting's log lines, as for a Meeting.
func (a Active) LogFields(more ...zap.Field) []zap.Field {
	return LogFields(Meeting{ID: a.ID, RoomID: a.RoomID, Platform: a.Platform, RoomName: a.RoomName}, more...)
}
