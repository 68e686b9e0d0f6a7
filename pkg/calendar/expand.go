package calendar

import (
	"sort"
	"time"
)

// Window is the span of start times a sync keeps, bounds included.
type Window struct {
	From time.Time
	To   time.Time
}

func (w Window) contains(t time.Time) bool { return !t.Before(w.From) && !t.After(w.To) }

// maxRuleIterations bounds the work one RRULE may cost: a rule that started long ago with a
// short period stops expanding there rather than stalling the sync.
const maxRuleIterations = 100_000

// series is one UID of a feed: its master (RRULE, RDATE, EXDATE) and its overrides.
type series struct {
	master    *vevent
	overrides map[string]*vevent // by recurrence id
	order     []string           // override ids in feed order
}

// expand turns VEVENTs into the occurrences that start within w, in UTC, ordered by start.
// Overrides (RECURRENCE-ID) replace the occurrence they name; a cancelled occurrence is
// dropped; a cancelled master drops the whole series. Duplicates of one (UID, RECURRENCE-ID)
// keep the highest SEQUENCE, then the last in the feed.
func expand(events []vevent, w Window) []Event {
	var out []Event
	for _, s := range groupSeries(events) {
		out = append(out, s.occurrences(w)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		if out[i].UID != out[j].UID {
			return out[i].UID < out[j].UID
		}
		return out[i].RecurrenceID < out[j].RecurrenceID
	})
	return out
}

// groupSeries groups events by UID in feed order.
func groupSeries(events []vevent) []*series {
	byUID := map[string]*series{}
	var order []*series
	for i := range events {
		v := &events[i]
		s, ok := byUID[v.uid]
		if !ok {
			s = &series{overrides: map[string]*vevent{}}
			byUID[v.uid] = s
			order = append(order, s)
		}
		s.add(v)
	}
	return order
}

func (s *series) add(v *vevent) {
	if v.recurrenceID == "" {
		if s.master == nil || v.sequence >= s.master.sequence {
			s.master = v
		}
		return
	}
	prev, ok := s.overrides[v.recurrenceID]
	if !ok {
		s.order = append(s.order, v.recurrenceID)
	}
	if !ok || v.sequence >= prev.sequence {
		s.overrides[v.recurrenceID] = v
	}
}

func (s *series) occurrences(w Window) []Event {
	if s.master != nil && s.master.cancelled {
		return nil
	}
	var out []Event
	if m := s.master; m != nil {
		recurring := m.rule != nil || len(m.rdates) > 0
		for _, start := range m.starts(w) {
			rid := ""
			if recurring {
				rid = timeValue{t: start, allDay: m.start.allDay}.key()
			}
			if _, overridden := s.overrides[rid]; overridden {
				continue
			}
			out = append(out, m.occurrence(start, rid))
		}
	}
	for _, rid := range s.order {
		o := s.overrides[rid]
		if !o.cancelled && w.contains(o.start.t) {
			out = append(out, o.occurrence(o.start.t, rid))
		}
	}
	return out
}

// starts lists the master's start times within w: DTSTART or the RRULE's, plus RDATEs,
// minus EXDATEs.
func (v *vevent) starts(w Window) []time.Time {
	var cands []time.Time
	switch {
	case v.rule != nil:
		cands = v.ruleStarts(w)
	case len(v.rdates) == 0 && w.contains(v.start.t):
		cands = append(cands, v.start.t)
	case len(v.rdates) > 0:
		cands = append(cands, v.start.t) // DTSTART is the first instance of an RDATE set
	}
	for _, d := range v.rdates {
		cands = append(cands, d.t)
	}
	excluded := map[string]bool{}
	for _, d := range v.exdates {
		excluded[timeValue{t: d.t, allDay: v.start.allDay}.key()] = true
	}
	seen := map[string]bool{}
	var out []time.Time
	for _, t := range cands {
		k := timeValue{t: t, allDay: v.start.allDay}.key()
		if w.contains(t) && !excluded[k] && !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

func (v *vevent) ruleStarts(w Window) []time.Time {
	var out []time.Time
	next := v.rule.Iterator()
	for i := 0; i < maxRuleIterations; i++ {
		t, ok := next()
		if !ok || t.After(w.To) {
			break
		}
		if !t.Before(w.From) {
			out = append(out, t)
		}
	}
	return out
}

func (v *vevent) occurrence(start time.Time, rid string) Event {
	return Event{
		UID:          v.uid,
		RecurrenceID: rid,
		Title:        v.title,
		Description:  v.description,
		Location:     v.location,
		Start:        start.UTC(),
		End:          start.Add(v.duration).UTC(),
		AllDay:       v.start.allDay,
		Attendees:    v.attendees,
		Raw:          v.raw,
	}
}
