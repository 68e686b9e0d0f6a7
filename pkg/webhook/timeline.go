package webhook

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/redact"
)

// appliedEvents is the timeline line of an event applied to a meeting: what came, when it
// was received and, when it changed nothing, why. Events about no known meeting have none.
func appliedEvents(ev Event, eff effect, now time.Time) []meeting.Event {
	if eff.meeting == uuid.Nil {
		return nil
	}
	detail := map[string]any{"type": ev.Type, "event_id": ev.EventID, "inbox_id": ev.ID, "received_at": ev.ReceivedAt}
	if eff.note != "" {
		detail["note"] = eff.note
	}
	var out []meeting.Event
	if eff.stopped != nil {
		out = append(out, stoppedEvent(ev, eff))
	}
	return append(out, meeting.NewEvent(eff.meeting, now, meeting.EventWebhook, ev.Provider, detail))
}

// recordingMeeting finds the meeting a recording event is about, for its timeline: the
// applied webhook, and the stop when the recording stopped. An event about no known meeting
// keeps its effect and gets no row.
func (s *Service) recordingMeeting(ctx context.Context, provider string, we platform.WebhookEvent, eff effect) (effect, error) {
	room := recordingRoom(we)
	if eff.meeting == uuid.Nil && storable(room) && room != "" {
		m, err := s.cfg.Store.MeetingByProviderRoom(ctx, provider, room, "")
		switch {
		case err == nil:
			eff.meeting = m.ID
		case !errors.Is(err, ErrMeetingNotFound):
			return effect{}, err
		case we.RecordingStopped != nil && eff.note == "" && eff.outside == nil:
			eff.note = "no meeting for room " + room
		}
	}
	eff.stopped = we.RecordingStopped
	return eff, nil
}

// recordingRoom is the provider room a recording event names.
func recordingRoom(we platform.WebhookEvent) string {
	switch {
	case we.RecordingStopped != nil:
		return we.RecordingStopped.RoomName
	case we.RecordingReady != nil:
		return we.RecordingReady.RoomName
	case we.RecordingStarted != nil:
		return we.RecordingStarted.RoomName
	}
	return ""
}

// stoppedEvent is the timeline row of a recording's stop: finished, or failed with the
// provider's message (redacted).
func stoppedEvent(ev Event, eff effect) meeting.Event {
	st := eff.stopped
	at := st.At
	if at.IsZero() {
		at = eventTime(ev)
	}
	detail := map[string]any{"event_type": ev.Type, "event_id": ev.EventID, "reason": "finished"}
	if st.RecordingID != "" {
		detail["provider_recording_id"] = st.RecordingID
	}
	if st.Error != "" {
		detail["reason"], detail["error"] = "error", redact.Text(st.Error)
	}
	return meeting.NewEvent(eff.meeting, at, meeting.EventRecordingStopped, ev.Provider, detail)
}
