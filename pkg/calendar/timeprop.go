package calendar

import (
	"fmt"
	"strings"
	"time"
)

// timeValue is a DATE or DATE-TIME value. t is in the value's own zone so that recurrences
// keep their wall-clock time across DST changes; all-day dates are midnight UTC, as the
// original stores them.
type timeValue struct {
	t      time.Time
	allDay bool
}

// key formats the value as a recurrence identifier.
func (v timeValue) key() string {
	if v.allDay {
		return v.t.UTC().Format("20060102")
	}
	return v.t.UTC().Format("20060102T150405Z")
}

// zones resolves TZIDs to locations, caching the lookups of one parse.
type zones struct {
	cache   map[string]*time.Location
	unknown map[string]struct{} // TZIDs that fell back to UTC
}

func newZones() *zones {
	return &zones{cache: map[string]*time.Location{}, unknown: map[string]struct{}{}}
}

// location returns the zone of tzid, falling back to UTC (and remembering it) when unknown.
func (z *zones) location(tzid string) *time.Location {
	if loc, ok := z.cache[tzid]; ok {
		return loc
	}
	loc := resolveZone(tzid)
	if loc == nil {
		z.unknown[tzid] = struct{}{}
		loc = time.UTC
	}
	z.cache[tzid] = loc
	return loc
}

// resolveZone tries the TZID as an IANA name, as a Windows name (Outlook), and as the tail of
// a prefixed name ("/mozilla.org/20050126_1/America/New_York").
func resolveZone(tzid string) *time.Location {
	name := strings.Trim(strings.TrimSpace(tzid), `"`)
	candidates := []string{name}
	if iana, ok := windowsZone(name); ok {
		candidates = append(candidates, iana)
	}
	parts := strings.Split(strings.Trim(name, "/"), "/")
	for n := 3; n >= 2; n-- {
		if len(parts) > n {
			candidates = append(candidates, strings.Join(parts[len(parts)-n:], "/"))
		}
	}
	for _, c := range candidates {
		if c == "" || c == "Local" {
			continue
		}
		if loc, err := time.LoadLocation(c); err == nil {
			return loc
		}
	}
	return nil
}

// parse reads one DATE or DATE-TIME value. Floating times (no Z, no TZID) are taken as UTC,
// as the original does.
func (z *zones) parse(value string, params map[string][]string) (timeValue, error) {
	value = strings.TrimSpace(value)
	switch {
	case len(value) == 8:
		t, err := time.ParseInLocation("20060102", value, time.UTC)
		if err != nil {
			return timeValue{}, fmt.Errorf("invalid date %q", value)
		}
		return timeValue{t: t, allDay: true}, nil
	case len(value) == 16 && (value[15] == 'Z' || value[15] == 'z'):
		t, err := time.ParseInLocation("20060102T150405", value[:15], time.UTC)
		if err != nil {
			return timeValue{}, fmt.Errorf("invalid date-time %q", value)
		}
		return timeValue{t: t}, nil
	case len(value) == 15:
		loc := time.UTC
		if tzid := param(params, "TZID"); tzid != "" {
			loc = z.location(tzid)
		}
		t, err := time.ParseInLocation("20060102T150405", value, loc)
		if err != nil {
			return timeValue{}, fmt.Errorf("invalid date-time %q", value)
		}
		return timeValue{t: t}, nil
	}
	return timeValue{}, fmt.Errorf("invalid date-time %q", value)
}

// parseList reads a comma-separated EXDATE/RDATE value; a PERIOD keeps its start.
func (z *zones) parseList(value string, params map[string][]string) ([]timeValue, error) {
	var out []timeValue
	for _, item := range strings.Split(value, ",") {
		item, _, _ = strings.Cut(item, "/")
		if strings.TrimSpace(item) == "" {
			continue
		}
		v, err := z.parse(item, params)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// param returns the first value of a property parameter, or "".
func param(params map[string][]string, name string) string {
	if vs := params[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// parseDuration reads an RFC 5545 duration ("PT1H30M", "P1D", "-PT15M", "P2W").
func parseDuration(s string) (time.Duration, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	sign := time.Duration(1)
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	var total time.Duration
	n, inTime := 0, false
	units := map[byte]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour, 'H': time.Hour, 'M': time.Minute, 'S': time.Second}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'T':
			inTime = true
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
		case c == 'M' && !inTime:
			return 0, fmt.Errorf("invalid duration %q", s)
		case units[c] != 0:
			total += time.Duration(n) * units[c]
			n = 0
		default:
			return 0, fmt.Errorf("invalid duration %q", s)
		}
	}
	return sign * total, nil
}
