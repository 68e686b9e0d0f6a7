package apptest

import (
	"testing"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
)

// UIBaseURL is the web app's address in tests: calendar events name a room by
// UIBaseURL + "/" + room name in their location or description.
const UIBaseURL = "http://reflector.test"

// newCalendar builds the calendar service on the app's database and meeting service. Feeds
// are fetched over real HTTP with private addresses allowed, so a test serves them from an
// httptest server.
func (a *App) newCalendar(t testing.TB, o Options) *calendar.Service {
	t.Helper()
	svc, err := calendar.NewService(calendar.Config{
		Store:    store.NewCalendarStore(a.DB),
		Fetcher:  calendar.NewHTTPFetcher(calendar.FetchConfig{AllowPrivate: true}),
		Meetings: setup.CalendarMeetings{Meetings: a.Meetings},
		BaseURL:  UIBaseURL,
		Logger:   a.Log,
		Now:      o.Now,
	})
	if err != nil {
		t.Fatalf("calendar service: %v", err)
	}
	return svc
}
