package webhook

import (
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/meeting"
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
	return []meeting.Event{meeting.NewEvent(eff.meeting, now, meeting.EventWebhook, ev.Provider, detail)}
}
