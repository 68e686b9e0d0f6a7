package meeting

import "time"

// Action is what process-meetings does to one active meeting.
type Action int

// Actions of the decision.
const (
	Keep       Action = iota
	Deactivate        // end the meeting, then delete its provider room
	StartGrace        // everyone left: record when, and keep for the grace period
	ClearGrace        // someone came back during the grace period
)

func (a Action) String() string {
	return [...]string{"keep", "deactivate", "start_grace", "clear_grace"}[a]
}

// State is everything the decision depends on. It is read before the decision, and the parts
// that can change under it (intents, is_active) are re-checked under the meeting row lock
// when a deactivation is applied.
type State struct {
	Now                   time.Time
	Kind                  string
	EndDate               time.Time
	EverJoined            bool       // someone was ever seen in the meeting
	LastParticipantLeftAt *time.Time // start of the grace period, if running
	GracePeriod           time.Duration
	CalendarForceClose    time.Duration // calendar meetings close this long after their end
	LiveIntents           int           // unexpired join intents (clients joining or just joined)
	PresenceKnown         bool          // false when the provider could not be read
	Present               int           // participants the provider reports
}

// EndReason is why a meeting ended; its text is stored in meeting.ended_reason.
type EndReason string

// End reasons.
const (
	// EndPastEnd: past the meeting's hard end (its end date; for a calendar meeting, the
	// force-close delay after it). Forced: a live join intent does not hold it.
	EndPastEnd EndReason = "ended"
	// EndGraceExpired: everyone left and the grace period ran out. Applied only once the
	// provider room is confirmed empty and no join intent is live.
	EndGraceExpired EndReason = "grace period expired"
	// EndReplaced: found past its end date by a join, which ends it and makes a new one.
	EndReplaced EndReason = "expired"
)

// Decision is the outcome and why. A Deactivate carries its End reason, and Forced when
// join intents must not hold it.
type Decision struct {
	Action Action
	Why    string
	End    EndReason
	Forced bool
}

// Decide is the deactivation rule of the product, a pure function of its inputs:
//  1. a calendar meeting is force-closed CalendarForceClose after its scheduled end, and any
//     other meeting at its end date (the provider room expires then);
//  2. a live join intent keeps the meeting: someone is in the handshake, invisible to presence;
//  3. unknown presence keeps the meeting (never decide on stale data);
//  4. someone present keeps it, clearing a running grace period;
//  5. a calendar meeting stays open through its scheduled window;
//  6. a meeting nobody ever joined stays open until its end date;
//  7. otherwise the grace period starts when the last participant is gone, and the meeting
//     is deactivated once it has run out.
func Decide(s State) Decision {
	hardEnd := s.EndDate
	if s.Kind == KindCalendar {
		hardEnd = hardEnd.Add(s.CalendarForceClose)
	}
	switch {
	case !s.Now.Before(hardEnd):
		return Decision{Action: Deactivate, Why: "past its end", End: EndPastEnd, Forced: true}
	case s.LiveIntents > 0:
		return Decision{Action: Keep, Why: "join in progress"}
	case !s.PresenceKnown:
		return Decision{Action: Keep, Why: "presence unknown"}
	case s.Present > 0 && s.LastParticipantLeftAt != nil:
		return Decision{Action: ClearGrace, Why: "participant rejoined"}
	case s.Present > 0:
		return Decision{Action: Keep, Why: "in use"}
	case s.Kind == KindCalendar && s.Now.Before(s.EndDate):
		return Decision{Action: Keep, Why: "scheduled window"}
	case !s.EverJoined:
		return Decision{Action: Keep, Why: "not yet joined"}
	case s.LastParticipantLeftAt == nil:
		return Decision{Action: StartGrace, Why: "last participant left"}
	case s.Now.Sub(*s.LastParticipantLeftAt) < s.GracePeriod:
		return Decision{Action: Keep, Why: "grace period"}
	default:
		return Decision{Action: Deactivate, Why: string(EndGraceExpired), End: EndGraceExpired}
	}
}
