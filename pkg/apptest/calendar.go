package apptest

import (
	"testing"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/setup"
)

// UIBaseURL is the web app's address in tests: calendar events name a room by
// UIBaseURL + "/" + room name in their location or description.
const UIBaseURL = "http://reflector.test"

// newCalendar builds the calendar service as the binaries do (setup.Calendar), on the app's
// database and meeting service. Feeds are fetched over real HTTP with private addresses
// allowed, so a test serves them from an httptest server.
func (a *App) newCalendar(t testing.TB, o Options) *calendar.Service {
	t.Helper()
	svc, err := setup.Calendar(a.Config, a.DB, a.Meetings, setup.CalendarOptions{Log: a.Log, Now: o.Now})
	if err != nil {
		t.Fatalf("calendar service: %v", err)
	}
	return svc
}
