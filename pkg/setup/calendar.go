package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/store"
)

// CalendarMeetings adapts the meeting service to calendar.MeetingCreator, so that neither
// package imports the other.
type CalendarMeetings struct{ Meetings *meeting.Service }

var _ calendar.MeetingCreator = CalendarMeetings{}

// CreateCalendarMeeting implements calendar.MeetingCreator.
func (c CalendarMeetings) CreateCalendarMeeting(ctx context.Context, req calendar.CalendarMeetingRequest) (uuid.UUID, error) {
	meta, err := json.Marshal(req.Metadata)
	if err != nil {
		return uuid.Nil, fmt.Errorf("calendar metadata: %w", err)
	}
	return c.Meetings.CreateCalendar(ctx, req.RoomID, req.CalendarEventID, req.Start, req.End, meta)
}

// CalendarOptions are what the calendar service takes besides the configuration.
type CalendarOptions struct {
	Fetcher calendar.Fetcher // default: the HTTP fetcher configured by cfg.Calendar
	Log     *zap.Logger
	Now     func() time.Time
}

// Calendar builds the calendar service of the binaries: the Postgres store, the guarded HTTP
// fetcher and the meeting service as the creator of scheduled meetings.
func Calendar(cfg *config.Config, db *sqlx.DB, meetings *meeting.Service, o CalendarOptions) (*calendar.Service, error) {
	f := o.Fetcher
	if f == nil {
		f = calendar.NewHTTPFetcher(calendar.FetchConfig{Timeout: cfg.Calendar.FetchTimeout,
			MaxBytes: cfg.Calendar.MaxFeedBytes, AllowPrivate: cfg.Calendar.AllowPrivateIPs})
	}
	svc, err := calendar.NewService(calendar.Config{Store: store.NewCalendarStore(db), Fetcher: f,
		Meetings: CalendarMeetings{Meetings: meetings}, BaseURL: cfg.UIBaseURL, SyncTick: cfg.Calendar.SyncTick,
		Logger: o.Log, Now: o.Now})
	if err != nil {
		return nil, fmt.Errorf("setup.Calendar: %w", err)
	}
	return svc, nil
}
