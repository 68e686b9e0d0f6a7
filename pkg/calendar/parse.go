package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"
)

// Errors of a feed that cannot be parsed.
var (
	ErrNotICS    = errors.New("feed is not an iCalendar file")
	ErrTruncated = errors.New("feed is truncated (no END:VCALENDAR)")
)

// vevent is a VEVENT reduced to what expansion needs.
type vevent struct {
	uid          string
	recurrenceID string // normalised key of RECURRENCE-ID, "" for a master or single event
	sequence     int
	cancelled    bool
	start        timeValue
	duration     time.Duration
	rule         *rrule.RRule // nil without RRULE
	rdates       []timeValue
	exdates      []timeValue
	title        string
	description  string
	location     string
	attendees    []Attendee
	raw          string
}

// parsed is the outcome of parsing one feed.
type parsed struct {
	events       []vevent
	unknownZones []string // TZIDs read as UTC
}

// parseFeed parses an iCalendar body into its VEVENTs. Events without UID or DTSTART are
// skipped, as the original does; an unreadable date fails the whole feed.
func parseFeed(body []byte) (parsed, error) {
	if err := checkEnvelope(body); err != nil {
		return parsed{}, err
	}
	cal, err := ics.ParseCalendarWithOptions(bytes.NewReader(body),
		ics.WithUnknownPropertyHandler(ics.AcceptUnknownPropertyHandler))
	if err != nil {
		return parsed{}, fmt.Errorf("parse iCalendar: %w", err)
	}
	z := newZones()
	var out parsed
	for _, e := range cal.Events() {
		v, ok, err := z.vevent(e)
		if err != nil {
			return parsed{}, fmt.Errorf("event %q: %w", propValue(e, ics.ComponentPropertyUniqueId), err)
		}
		if ok {
			out.events = append(out.events, v)
		}
	}
	for tzid := range z.unknown {
		out.unknownZones = append(out.unknownZones, tzid)
	}
	sort.Strings(out.unknownZones)
	return out, nil
}

// checkEnvelope rejects bodies that are not a complete VCALENDAR (an HTML login page, a cut
// download) with a reason a room owner can act on.
func checkEnvelope(body []byte) error {
	b := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if !hasPrefixFold(b, "BEGIN:VCALENDAR") {
		head := string(b[:min(len(b), 40)])
		return fmt.Errorf("%w (starts with %q)", ErrNotICS, head)
	}
	if !hasSuffixFold(b, "END:VCALENDAR") {
		return ErrTruncated
	}
	return nil
}

func hasPrefixFold(b []byte, p string) bool {
	return len(b) >= len(p) && strings.EqualFold(string(b[:len(p)]), p)
}

func hasSuffixFold(b []byte, s string) bool {
	return len(b) >= len(s) && strings.EqualFold(string(b[len(b)-len(s):]), s)
}

// vevent reduces one VEVENT; ok is false for events to skip.
func (z *zones) vevent(e *ics.VEvent) (v vevent, ok bool, err error) {
	v.uid = propValue(e, ics.ComponentPropertyUniqueId)
	dtstart := e.GetProperty(ics.ComponentPropertyDtStart)
	if v.uid == "" || dtstart == nil {
		return vevent{}, false, nil
	}
	if v.start, err = z.parse(dtstart.Value, dtstart.ICalParameters); err != nil {
		return vevent{}, false, fmt.Errorf("DTSTART: %w", err)
	}
	if v.duration, err = z.duration(e, v.start); err != nil {
		return vevent{}, false, err
	}
	if err := z.recurrence(e, &v); err != nil {
		return vevent{}, false, err
	}
	v.cancelled = strings.EqualFold(propValue(e, ics.ComponentPropertyStatus), "CANCELLED")
	v.sequence, _ = strconv.Atoi(propValue(e, ics.ComponentPropertySequence))
	v.title = propValue(e, ics.ComponentPropertySummary)
	v.description = propValue(e, ics.ComponentPropertyDescription)
	v.location = propValue(e, ics.ComponentPropertyLocation)
	v.attendees = attendees(e)
	v.raw = rawEvent(e)
	return v, true, nil
}

// duration is DTEND - DTSTART, or DURATION, or the default: one day for an all-day event, one
// hour otherwise (the original's default). An end before the start also takes the default.
func (z *zones) duration(e *ics.VEvent, start timeValue) (time.Duration, error) {
	def := time.Hour
	if start.allDay {
		def = 24 * time.Hour
	}
	if p := e.GetProperty(ics.ComponentPropertyDtEnd); p != nil {
		end, err := z.parse(p.Value, p.ICalParameters)
		if err != nil {
			return 0, fmt.Errorf("DTEND: %w", err)
		}
		if d := end.t.Sub(start.t); d > 0 {
			return d, nil
		}
		return def, nil
	}
	if p := e.GetProperty(ics.ComponentPropertyDuration); p != nil {
		d, err := parseDuration(p.Value)
		if err != nil {
			return 0, fmt.Errorf("DURATION: %w", err)
		}
		if d > 0 {
			return d, nil
		}
	}
	return def, nil
}

// recurrence reads RECURRENCE-ID, RRULE, RDATE and EXDATE; it needs v.start.
func (z *zones) recurrence(e *ics.VEvent, v *vevent) error {
	if p := e.GetProperty(ics.ComponentPropertyRecurrenceId); p != nil {
		rid, err := z.parse(p.Value, p.ICalParameters)
		if err != nil {
			return fmt.Errorf("RECURRENCE-ID: %w", err)
		}
		v.recurrenceID = rid.key()
	}
	if s := propValue(e, ics.ComponentPropertyRrule); s != "" {
		opt, err := rrule.StrToROptionInLocation(s, v.start.t.Location())
		if err != nil {
			return fmt.Errorf("RRULE: %w", err)
		}
		opt.Dtstart = v.start.t
		if v.rule, err = rrule.NewRRule(*opt); err != nil {
			return fmt.Errorf("RRULE: %w", err)
		}
	}
	for _, p := range e.GetProperties(ics.ComponentPropertyRdate) {
		ds, err := z.parseList(p.Value, p.ICalParameters)
		if err != nil {
			return fmt.Errorf("RDATE: %w", err)
		}
		v.rdates = append(v.rdates, ds...)
	}
	for _, p := range e.GetProperties(ics.ComponentPropertyExdate) {
		ds, err := z.parseList(p.Value, p.ICalParameters)
		if err != nil {
			return fmt.Errorf("EXDATE: %w", err)
		}
		v.exdates = append(v.exdates, ds...)
	}
	return nil
}

// attendees reads ATTENDEE and ORGANIZER as the original does: mailto: stripped, a value
// holding several comma-separated addresses split (only the first keeps the parameters).
func attendees(e *ics.VEvent) []Attendee {
	var out []Attendee
	for _, p := range e.GetProperties(ics.ComponentPropertyAttendee) {
		for i, addr := range strings.Split(p.Value, ",") {
			a := Attendee{Email: stripMailto(addr)}
			if i == 0 {
				a.Name = param(p.ICalParameters, "CN")
				a.Status = param(p.ICalParameters, "PARTSTAT")
				a.Role = param(p.ICalParameters, "ROLE")
			}
			if a.Email != "" {
				out = append(out, a)
			}
		}
	}
	if p := e.GetProperty(ics.ComponentPropertyOrganizer); p != nil {
		out = append(out, Attendee{Email: stripMailto(p.Value), Name: param(p.ICalParameters, "CN"), Role: "ORGANIZER"})
	}
	return out
}

func stripMailto(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	return strings.TrimSpace(s)
}

// rawEvent serialises the VEVENT without DTSTAMP, which Google rewrites on every download.
func rawEvent(e *ics.VEvent) string {
	e.RemoveProperty(ics.ComponentPropertyDtstamp)
	return e.Serialize(&ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: "\r\n"})
}

func propValue(e *ics.VEvent, p ics.ComponentProperty) string {
	if prop := e.GetProperty(p); prop != nil {
		return strings.TrimSpace(prop.Value)
	}
	return ""
}

// Parse parses an iCalendar feed and expands it into the occurrences that start within w, in
// UTC, ordered by start: the pure core of a sync, for tools and benchmarks.
func Parse(body []byte, w Window) ([]Event, error) {
	p, err := parseFeed(body)
	if err != nil {
		return nil, err
	}
	return expand(p.events, w), nil
}
