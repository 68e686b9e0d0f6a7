package calendar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testBaseURL = "https://reflector.example.com"

// wide is a window that sees every fixture occurrence.
func wide() Window {
	return Window{From: utc("2026-01-01T00:00:00Z"), To: utc("2026-06-01T00:00:00Z")}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func occurrences(t *testing.T, name string, w Window) []Event {
	t.Helper()
	p, err := parseFeed(fixture(t, name))
	require.NoError(t, err)
	return expand(p.events, w)
}

// slots renders events as "uid|recurrence id|start|end" for compact comparisons.
func slots(events []Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.UID + "|" + e.RecurrenceID + "|" + e.Start.Format(time.RFC3339) + "|" + e.End.Format(time.RFC3339)
	}
	return out
}

func TestParseAggregatedFeed(t *testing.T) {
	t.Parallel()
	events := occurrences(t, "aggregated.ics", wide())
	require.Equal(t, []string{
		"7f1c9a52-1b8e-4d3c-9a57-0c1e2f3a4b5c||2026-03-02T14:30:00Z|2026-03-02T15:00:00Z",
		"8d4f1c2e-booking@Cal.com||2026-03-02T14:30:00Z|2026-03-02T15:00:00Z",
		"other-room@example.com||2026-03-02T14:30:00Z|2026-03-02T15:00:00Z",
		"no-room@example.com||2026-03-02T16:00:00Z|2026-03-02T17:00:00Z",
	}, slots(events), "TZID America/Toronto 09:30 is the same instant as 14:30Z")

	t.Run("attendees and organizer as the original reads them", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, []Attendee{
			{Email: "jlee@example.com", Name: "JLee", Status: "ACCEPTED", Role: "REQ-PARTICIPANT"},
			{Email: "max@example.com", Name: "Max", Role: "ORGANIZER"},
		}, events[1].Attendees)
		require.Equal(t, "Booked via Cal.com\nJoin: https://reflector.example.com/max", events[1].Description)
	})
	t.Run("raw data drops DTSTAMP", func(t *testing.T) {
		t.Parallel()
		require.Contains(t, events[1].Raw, "UID:8d4f1c2e-booking@Cal.com")
		require.NotContains(t, events[1].Raw, "DTSTAMP")
	})
	t.Run("only the room's URL matches", func(t *testing.T) {
		t.Parallel()
		mine := roomEvents(events, RoomURL(testBaseURL, "max"))
		require.Len(t, mine, 2)
		require.Equal(t, mine[0].Start, mine[1].Start)
	})
}

func TestParseWeeklyWithExceptions(t *testing.T) {
	t.Parallel()
	// Mondays 10:00 New York, COUNT=8 from Feb 23: Mar 2 moved to 11:30, Mar 9 cancelled,
	// Mar 16 excluded; US DST starts Mar 8 (15:00Z before, 14:00Z after).
	require.Equal(t, []string{
		"weekly-standup@example.com|20260223T150000Z|2026-02-23T15:00:00Z|2026-02-23T15:30:00Z",
		"weekly-standup@example.com|20260302T150000Z|2026-03-02T16:30:00Z|2026-03-02T17:00:00Z",
		"weekly-standup@example.com|20260323T140000Z|2026-03-23T14:00:00Z|2026-03-23T14:30:00Z",
		"weekly-standup@example.com|20260330T140000Z|2026-03-30T14:00:00Z|2026-03-30T14:30:00Z",
		"weekly-standup@example.com|20260406T140000Z|2026-04-06T14:00:00Z|2026-04-06T14:30:00Z",
		"weekly-standup@example.com|20260413T140000Z|2026-04-13T14:00:00Z|2026-04-13T14:30:00Z",
	}, slots(occurrences(t, "weekly.ics", wide())))

	t.Run("the window bounds the expansion", func(t *testing.T) {
		t.Parallel()
		w := Window{From: utc("2026-03-02T14:00:00Z"), To: utc("2026-03-03T14:00:00Z")}
		require.Equal(t, []string{
			"weekly-standup@example.com|20260302T150000Z|2026-03-02T16:30:00Z|2026-03-02T17:00:00Z",
		}, slots(occurrences(t, "weekly.ics", w)))
	})
}

func TestParseOutlookAcrossDST(t *testing.T) {
	t.Parallel()
	p, err := parseFeed(fixture(t, "outlook_dst.ics"))
	require.NoError(t, err)
	require.Equal(t, []string{"Customized Time Zone"}, p.unknownZones)
	// 09:00 "W. Europe Standard Time" daily; EU DST starts Mar 29 (08:00Z before, 07:00Z after).
	require.Equal(t, []string{
		"040000008200E00074C5B7101A82E00800000000A0B1C2D3|20260326T080000Z|2026-03-26T08:00:00Z|2026-03-26T09:00:00Z",
		"040000008200E00074C5B7101A82E00800000000A0B1C2D3|20260327T080000Z|2026-03-27T08:00:00Z|2026-03-27T09:00:00Z",
		"custom-zone@example.com||2026-03-27T12:00:00Z|2026-03-27T12:30:00Z",
		"040000008200E00074C5B7101A82E00800000000A0B1C2D3|20260328T080000Z|2026-03-28T08:00:00Z|2026-03-28T09:00:00Z",
		"040000008200E00074C5B7101A82E00800000000A0B1C2D3|20260329T070000Z|2026-03-29T07:00:00Z|2026-03-29T08:00:00Z",
		"040000008200E00074C5B7101A82E00800000000A0B1C2D3|20260330T070000Z|2026-03-30T07:00:00Z|2026-03-30T08:00:00Z",
	}, slots(expand(p.events, wide())))
}

func TestParseAllDay(t *testing.T) {
	t.Parallel()
	events := occurrences(t, "allday.ics", wide())
	require.Equal(t, []string{
		"offsite@example.com||2026-03-02T00:00:00Z|2026-03-03T00:00:00Z",
		"kickoff@example.com||2026-03-02T00:05:00Z|2026-03-02T00:50:00Z",
	}, slots(events), "all-day is midnight UTC; DURATION gives the end")
	require.True(t, events[0].AllDay)
	require.False(t, events[1].AllDay)
}

func TestParseRecurrenceDetails(t *testing.T) {
	t.Parallel()
	feed := func(body string) []Event {
		p, err := parseFeed([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + body + "END:VCALENDAR\r\n"))
		require.NoError(t, err)
		return expand(p.events, wide())
	}
	t.Run("RDATE adds and EXDATE of an all-day series removes", func(t *testing.T) {
		t.Parallel()
		events := feed("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260302\r\nRRULE:FREQ=DAILY;COUNT=3\r\n" +
			"EXDATE;VALUE=DATE:20260303\r\nRDATE;VALUE=DATE:20260310,20260311\r\nEND:VEVENT\r\n")
		require.Equal(t, []string{
			"a|20260302|2026-03-02T00:00:00Z|2026-03-03T00:00:00Z",
			"a|20260304|2026-03-04T00:00:00Z|2026-03-05T00:00:00Z",
			"a|20260310|2026-03-10T00:00:00Z|2026-03-11T00:00:00Z",
			"a|20260311|2026-03-11T00:00:00Z|2026-03-12T00:00:00Z",
		}, slots(events))
	})
	t.Run("a cancelled master drops the series", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, feed("BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260302T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"))
	})
	t.Run("duplicates keep the highest SEQUENCE", func(t *testing.T) {
		t.Parallel()
		events := feed("BEGIN:VEVENT\r\nUID:c\r\nSEQUENCE:2\r\nDTSTART:20260302T100000Z\r\nSUMMARY:new\r\nEND:VEVENT\r\n" +
			"BEGIN:VEVENT\r\nUID:c\r\nSEQUENCE:1\r\nDTSTART:20260302T090000Z\r\nSUMMARY:old\r\nEND:VEVENT\r\n")
		require.Len(t, events, 1)
		require.Equal(t, "new", events[0].Title)
		require.Equal(t, utc("2026-03-02T11:00:00Z"), events[0].End, "no DTEND means one hour")
	})
	t.Run("floating times are UTC and events without DTSTART are skipped", func(t *testing.T) {
		t.Parallel()
		events := feed("BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260302T100000\r\nDTEND:20260302T103000\r\nEND:VEVENT\r\n" +
			"BEGIN:VEVENT\r\nUID:e\r\nSUMMARY:no start\r\nEND:VEVENT\r\n")
		require.Equal(t, []string{"d||2026-03-02T10:00:00Z|2026-03-02T10:30:00Z"}, slots(events))
	})
	t.Run("an override without its master is kept", func(t *testing.T) {
		t.Parallel()
		events := feed("BEGIN:VEVENT\r\nUID:f\r\nRECURRENCE-ID:20260302T100000Z\r\nDTSTART:20260302T120000Z\r\nEND:VEVENT\r\n")
		require.Equal(t, []string{"f|20260302T100000Z|2026-03-02T12:00:00Z|2026-03-02T13:00:00Z"}, slots(events))
	})
}

func TestParseBadFeeds(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"html.ics":      "feed is not an iCalendar file",
		"truncated.ics": "feed is truncated",
		"baddate.ics":   `event "bad-date@example.com": DTSTART: invalid date-time "20261345T250000Z"`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := parseFeed(fixture(t, name))
			require.ErrorContains(t, err, want)
		})
	}
	t.Run("empty body", func(t *testing.T) {
		t.Parallel()
		_, err := parseFeed(nil)
		require.ErrorIs(t, err, ErrNotICS)
	})
	t.Run("bad RRULE", func(t *testing.T) {
		t.Parallel()
		_, err := parseFeed([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260302T100000Z\r\nRRULE:FREQ=SOMETIMES\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
		require.ErrorContains(t, err, "RRULE")
	})
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{
		"PT1H30M": 90 * time.Minute, "P1D": 24 * time.Hour, "-PT15M": -15 * time.Minute,
		"P2W": 14 * 24 * time.Hour, "P1DT2H": 26 * time.Hour, "PT45S": 45 * time.Second,
	} {
		got, err := parseDuration(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "P", "1H", "P1M", "PTX"} {
		_, err := parseDuration(bad)
		require.Error(t, err, bad)
	}
}

func TestZones(t *testing.T) {
	t.Parallel()
	t.Run("every Windows name maps to a loadable zone", func(t *testing.T) {
		t.Parallel()
		src, err := os.ReadFile("windows.go")
		require.NoError(t, err)
		n := 0
		for _, line := range strings.Split(string(src), "\n") {
			name, ok := strings.CutPrefix(strings.TrimSpace(line), "case \"")
			if !ok {
				continue
			}
			name = strings.TrimSuffix(name, "\":")
			iana, ok := windowsZone(name)
			require.True(t, ok, name)
			_, err := time.LoadLocation(iana)
			require.NoError(t, err, "%s → %s", name, iana)
			n++
		}
		require.Greater(t, n, 50)
	})
	for tzid, want := range map[string]string{
		"Europe/Berlin":                            "Europe/Berlin",
		"Pacific Standard Time":                    "America/Los_Angeles",
		`"Romance Standard Time"`:                  "Europe/Paris",
		"/mozilla.org/20050126_1/America/New_York": "America/New_York",
		"/softwarestudio.org/Olson_20011030_5/America/Argentina/Buenos_Aires": "America/Argentina/Buenos_Aires",
	} {
		loc := resolveZone(tzid)
		require.NotNil(t, loc, tzid)
		require.Equal(t, want, loc.String(), tzid)
	}
	require.Nil(t, resolveZone("Customized Time Zone"))
	require.Nil(t, resolveZone("Local"))
}
