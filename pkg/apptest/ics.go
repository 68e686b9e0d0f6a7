package apptest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monadical/reflector-go/pkg/room"
)

// ICSEvent is one VEVENT of a test feed. Times are written in UTC.
type ICSEvent struct {
	UID         string
	Start, End  time.Time
	Title       string
	Description string
	Location    string   // default: the room URL of Room
	Room        string   // the room named in Location when Location is empty
	Attendees   []string // e-mail addresses
}

// ICS renders a VCALENDAR holding the events.
func ICS(events ...ICSEvent) string {
	const layout = "20060102T150405Z"
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//reflector-go//apptest//EN\r\n")
	for _, e := range events {
		loc := e.Location
		if loc == "" {
			loc = UIBaseURL + "/" + e.Room
		}
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:%s\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:%s\r\nLOCATION:%s\r\n",
			e.UID, e.Start.UTC().Format(layout), e.Start.UTC().Format(layout), e.End.UTC().Format(layout), e.Title, loc)
		if e.Description != "" {
			fmt.Fprintf(&b, "DESCRIPTION:%s\r\n", e.Description)
		}
		for _, a := range e.Attendees {
			fmt.Fprintf(&b, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:%s\r\n", a)
		}
		b.WriteString("END:VEVENT\r\n")
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

// ICSFeed serves one ICS body over HTTP (or an error status), for calendar tests.
type ICSFeed struct {
	*httptest.Server
	mu     sync.Mutex
	body   string
	status int
}

// NewICSFeed starts a feed server serving body; it stops when the test ends.
func NewICSFeed(t testing.TB, body string) *ICSFeed {
	t.Helper()
	f := &ICSFeed{body: body}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Set replaces the body served and clears any error status.
func (f *ICSFeed) Set(body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body, f.status = body, 0
}

// Fail makes the feed answer status until the next Set.
func (f *ICSFeed) Fail(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = status
}

func (f *ICSFeed) serve(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	body, status := f.body, f.status
	f.mu.Unlock()
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "text/calendar")
	_, _ = w.Write([]byte(body))
}

// CreateICSRoom makes a room owned by Owner whose calendar is the feed at url.
func (a *App) CreateICSRoom(t testing.TB, name, url string) room.Room {
	t.Helper()
	return a.CreateRoom(t, name, func(in *room.Input) {
		in.ICSURL, in.ICSEnabled = &url, true
	})
}
