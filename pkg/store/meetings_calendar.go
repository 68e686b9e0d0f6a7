package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
)

var _ meeting.CalendarStore = MeetingStore{}

// RoomLockByID returns the room and locks its row until the transaction ends. FOR NO KEY
// UPDATE serialises calendar meeting creators with each other and with the ad-hoc path (FOR
// UPDATE) while leaving foreign-key checks of rows inserted for the room unblocked.
func (s MeetingStore) RoomLockByID(ctx context.Context, id uuid.UUID) (room.Room, error) {
	return roomGet(ctx, s.q, `SELECT `+roomCols+` FROM room WHERE id = $1 FOR NO KEY UPDATE`, id)
}

// RoomByID returns a room or room.ErrNotFound.
func (s MeetingStore) RoomByID(ctx context.Context, id uuid.UUID) (room.Room, error) {
	return roomGet(ctx, s.q, `SELECT `+roomCols+` FROM room WHERE id = $1`, id)
}

// MeetingCalendarBySlot returns the room's calendar meeting of [start, end] (active or not),
// or nil.
func (s MeetingStore) MeetingCalendarBySlot(ctx context.Context, roomID uuid.UUID, start, end time.Time) (*meeting.Meeting, error) {
	var m meeting.Meeting
	err := sqlx.GetContext(ctx, s.q, &m, `SELECT `+meetingCols+` FROM meeting
		WHERE room_id = $1 AND kind = 'calendar' AND start_date = $2 AND end_date = $3`, roomID, start, end)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("select calendar meeting: %w", err)
	}
	return &m, nil
}

// MeetingCalendarInsert inserts a calendar meeting; false when uq_meeting_calendar_slot
// already holds a meeting of the slot (the insert then waits for a concurrent inserter to
// finish, so a false is final).
func (s MeetingStore) MeetingCalendarInsert(ctx context.Context, m meeting.Meeting) (bool, error) {
	res, err := sqlx.NamedExecContext(ctx, s.q, meetingInsert+`
		ON CONFLICT (room_id, start_date, end_date) WHERE kind = 'calendar' DO NOTHING`, m)
	if err != nil {
		return false, fmt.Errorf("insert calendar meeting: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("insert calendar meeting: %w", err)
	}
	return n == 1, nil
}
