package meeting

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { v := now.Add(-d); return &v }
	base := State{Now: now, Kind: KindAdhoc, EndDate: now.Add(time.Hour), EverJoined: true,
		GracePeriod: 15 * time.Minute, CalendarForceClose: 30 * time.Minute, PresenceKnown: true}
	with := func(f func(*State)) State { s := base; f(&s); return s }

	cases := []struct {
		name   string
		state  State
		action Action
		reason string
		end    EndReason
	}{
		{"someone present keeps", with(func(s *State) { s.Present = 2 }), Keep, "in use", ""},
		{"last one left starts grace", base, StartGrace, "last participant left", ""},
		{"within grace keeps", with(func(s *State) { s.LastParticipantLeftAt = ago(14 * time.Minute) }), Keep, "grace period", ""},
		{"grace expired deactivates", with(func(s *State) { s.LastParticipantLeftAt = ago(15 * time.Minute) }), Deactivate, "grace period expired", EndGraceExpired},
		{"rejoin during grace clears it", with(func(s *State) { s.LastParticipantLeftAt = ago(5 * time.Minute); s.Present = 1 }), ClearGrace, "participant rejoined", ""},
		{"live intent keeps an expired grace", with(func(s *State) { s.LastParticipantLeftAt = ago(time.Hour); s.LiveIntents = 1 }), Keep, "join in progress", ""},
		{"live intent keeps a never-seen meeting", with(func(s *State) { s.LiveIntents = 3 }), Keep, "join in progress", ""},
		{"unknown presence keeps", with(func(s *State) { s.PresenceKnown = false; s.LastParticipantLeftAt = ago(time.Hour) }), Keep, "presence unknown", ""},
		{"never joined ad-hoc waits for its end", with(func(s *State) { s.EverJoined = false }), Keep, "not yet joined", ""},
		{"never joined ad-hoc closes at its end", with(func(s *State) { s.EverJoined = false; s.EndDate = now }), Deactivate, "past its end", EndPastEnd},
		{"ad-hoc past its end closes even if present", with(func(s *State) { s.EndDate = ago(time.Second).Add(0); s.Present = 3 }), Deactivate, "past its end", EndPastEnd},
		{"calendar keeps its window when empty", with(func(s *State) { s.Kind = KindCalendar }), Keep, "scheduled window", ""},
		{"calendar after end starts grace", with(func(s *State) { s.Kind = KindCalendar; s.EndDate = now.Add(-time.Minute) }), StartGrace, "last participant left", ""},
		{"calendar force-closed 30 min after end", with(func(s *State) { s.Kind = KindCalendar; s.EndDate = now.Add(-30 * time.Minute); s.Present = 4 }), Deactivate, "past its end", EndPastEnd},
		{"calendar 29 min after end with people keeps", with(func(s *State) { s.Kind = KindCalendar; s.EndDate = now.Add(-29 * time.Minute); s.Present = 4 }), Keep, "in use", ""},
		{"zero grace deactivates on the next tick", with(func(s *State) { s.GracePeriod = 0; s.LastParticipantLeftAt = ago(0) }), Deactivate, "grace period expired", EndGraceExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.state)
			require.Equal(t, tc.action, d.Action, d.Why)
			require.Equal(t, tc.reason, d.Why)
			if d.Action == Deactivate {
				require.Equal(t, tc.end, d.End)
				require.Equal(t, tc.end == EndPastEnd, d.Forced, "only a meeting past its end is ended over live intents")
			}
		})
	}
}

// TestDecideProperties checks the safety rules over arbitrary states.
func TestDecideProperties(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		s := State{
			Now:                now,
			Kind:               rapid.SampledFrom([]string{KindAdhoc, KindExtra, KindCalendar}).Draw(rt, "kind"),
			EndDate:            now.Add(time.Duration(rapid.IntRange(-120, 600).Draw(rt, "end_min")) * time.Minute),
			EverJoined:         rapid.Bool().Draw(rt, "joined"),
			GracePeriod:        time.Duration(rapid.IntRange(0, 60).Draw(rt, "grace")) * time.Minute,
			CalendarForceClose: 30 * time.Minute,
			LiveIntents:        rapid.IntRange(0, 3).Draw(rt, "intents"),
			PresenceKnown:      rapid.Bool().Draw(rt, "known"),
			Present:            rapid.IntRange(0, 3).Draw(rt, "present"),
		}
		if rapid.Bool().Draw(rt, "grace_running") {
			v := now.Add(-time.Duration(rapid.IntRange(0, 120).Draw(rt, "left_min")) * time.Minute)
			s.LastParticipantLeftAt = &v
		}
		d := Decide(s)
		hardEnd := s.EndDate
		if s.Kind == KindCalendar {
			hardEnd = hardEnd.Add(s.CalendarForceClose)
		}
		if d.Action == Deactivate && now.Before(hardEnd) {
			require.Zero(rt, s.LiveIntents, "deactivated with a live intent")
			require.True(rt, s.PresenceKnown, "deactivated on unknown presence")
			require.Zero(rt, s.Present, "deactivated with participants present")
			require.NotNil(rt, s.LastParticipantLeftAt, "deactivated without a grace period")
			require.GreaterOrEqual(rt, now.Sub(*s.LastParticipantLeftAt), s.GracePeriod)
		}
		if !now.Before(hardEnd) {
			require.Equal(rt, Deactivate, d.Action, "a meeting past its hard end must close")
		}
	})
}
