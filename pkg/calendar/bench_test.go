package calendar_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/calendar"
)

const benchNow = "2026-03-02T12:00:00Z"

// benchFeed builds a feed of n VEVENTs for the room "max" whose occurrences all start within
// the next 23 hours: a fifth are daily series begun 30 days ago (one occurrence in the window
// each, one EXDATE each in the past), the rest single events.
func benchFeed(n int, now time.Time) []byte {
	var b bytes.Buffer
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n")
	step := 23 * time.Hour / time.Duration(n)
	for i := range n {
		start := now.Add(time.Minute + time.Duration(i)*step).Truncate(time.Second)
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:bench-%d@example.com\r\nDTSTAMP:20260301T000000Z\r\n", i)
		if i%5 == 0 {
			first := start.AddDate(0, 0, -30)
			fmt.Fprintf(&b, "DTSTART:%s\r\nRRULE:FREQ=DAILY\r\nEXDATE:%s\r\n", icsTime(first), icsTime(first.AddDate(0, 0, 3)))
		} else {
			fmt.Fprintf(&b, "DTSTART:%s\r\n", icsTime(start))
		}
		fmt.Fprintf(&b, "DURATION:PT30M\r\nSUMMARY:Meeting %d\r\nDESCRIPTION:Agenda item %d\\nJoin %s/max\r\n", i, i, baseURL)
		fmt.Fprintf(&b, "LOCATION:%s/max\r\nATTENDEE;CN=Guest %d;PARTSTAT=ACCEPTED:mailto:guest%d@example.com\r\nEND:VEVENT\r\n", baseURL, i, i)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.Bytes()
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// BenchmarkICSSync measures one room's sync of a 5,000-event feed: parse and expansion alone,
// the first sync (fetch, parse, 5,000 inserts), and the unchanged re-sync (one 304, no
// database write: neither the events nor the room row). Run with: go test ./pkg/calendar -run '^$' -bench ICSSync -benchtime 3x
func BenchmarkICSSync(b *testing.B) {
	const n = 5000
	bundle := setup(b, setupOpts{now: benchNow})
	now := at(benchNow)
	body := benchFeed(n, now)
	bundle.feed.Set(body)
	ctx := context.Background()
	window := calendar.Window{From: now.Add(-time.Hour), To: now.Add(24 * time.Hour)}
	var parse, sync, unchanged time.Duration
	iters := 0
	for b.Loop() {
		b.StopTimer()
		_, err := bundle.db.Exec(`DELETE FROM calendar_event WHERE room_id = $1`, bundle.roomID)
		require.NoError(b, err)
		_, err = bundle.db.Exec(`UPDATE room SET ics_last_sync = NULL, ics_last_applied = NULL, ics_last_etag = NULL,
			ics_last_hash = NULL WHERE id = $1`, bundle.roomID)
		require.NoError(b, err)
		b.StartTimer()

		t0 := time.Now()
		events, err := calendar.Parse(body, window)
		require.NoError(b, err)
		require.Equal(b, n, len(events))
		t1 := time.Now()
		res, err := bundle.svc.SyncRoom(ctx, bundle.roomID, true)
		require.NoError(b, err)
		require.Equal(b, n, res.EventsCreated, res.Error)
		t2 := time.Now()
		before := xmins(b, bundle)
		res, err = bundle.svc.SyncRoom(ctx, bundle.roomID, true)
		require.NoError(b, err)
		require.Equal(b, calendar.SyncUnchanged, res.Status)
		unchanged += time.Since(t2)
		require.Equal(b, before, xmins(b, bundle), "the unchanged re-sync wrote nothing: no event, not the room")
		parse, sync = parse+t1.Sub(t0), sync+t2.Sub(t1)
		iters++
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(iters) }
	b.ReportMetric(ms(parse), "parse_ms")
	b.ReportMetric(ms(sync), "sync_ms")
	b.ReportMetric(ms(unchanged), "unchanged_ms")
	fmt.Printf("ics_sync events=%d parse_ms=%.1f sync_ms=%.1f unchanged_ms=%.1f\n", n, ms(parse), ms(sync), ms(unchanged))
}

// xmins summarises the writing transactions of the room's events and of the room row.
func xmins(b *testing.B, bundle *testBundle) string {
	var s string
	require.NoError(b, bundle.db.Get(&s, `SELECT count(*) || ':' || string_agg(DISTINCT xmin::text, ',')
		FROM calendar_event WHERE room_id = $1`, bundle.roomID))
	return s + " room:" + bundle.roomXmin(b)
}
