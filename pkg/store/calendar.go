package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/redact"
)

// CalendarStore implements calendar.Store.
type CalendarStore struct{ base }

var _ calendar.Store = CalendarStore{}

// NewCalendarStore returns the calendar adapter on db.
func NewCalendarStore(db *sqlx.DB) CalendarStore { return CalendarStore{newBase(db)} }

// InTx runs fn with a copy of the store bound to one transaction.
func (s CalendarStore) InTx(ctx context.Context, fn func(calendar.Store) error) error {
	return s.inTx(ctx, func(b base) error { return fn(CalendarStore{b}) })
}

const roomICSCols = `id, name, COALESCE(ics_url, '') AS ics_url, ics_enabled, ics_fetch_interval, ics_last_sync,
	ics_last_applied, COALESCE(ics_last_etag, '') AS ics_last_etag, COALESCE(ics_last_modified, '') AS ics_last_modified,
	COALESCE(ics_last_hash, '') AS ics_last_hash, COALESCE(ics_last_status, '') AS ics_last_status,
	COALESCE(ics_last_error, '') AS ics_last_error`

type roomICSRow struct {
	ID           uuid.UUID  `db:"id"`
	Name         string     `db:"name"`
	URL          string     `db:"ics_url"`
	Enabled      bool       `db:"ics_enabled"`
	Interval     int        `db:"ics_fetch_interval"`
	LastSync     *time.Time `db:"ics_last_sync"`
	LastApplied  *time.Time `db:"ics_last_applied"`
	ETag         string     `db:"ics_last_etag"`
	LastModified string     `db:"ics_last_modified"`
	Hash         string     `db:"ics_last_hash"`
	Status       string     `db:"ics_last_status"`
	Error        string     `db:"ics_last_error"`
}

func (r roomICSRow) domain() calendar.RoomICS {
	return calendar.RoomICS{
		ID: r.ID, Name: r.Name, URL: r.URL, Enabled: r.Enabled,
		FetchInterval: time.Duration(r.Interval) * time.Second,
		LastSync:      r.LastSync, LastApplied: r.LastApplied,
		LastETag: r.ETag, LastModified: r.LastModified, LastHash: r.Hash,
		LastStatus: r.Status, LastError: r.Error,
	}
}

// RoomsICSDue lists the rooms due at the scheduler tick at tick, of length tickLen, never-synced
// first: rooms never synced, rooms whose last sync failed, and rooms for which a new slot of
// their fetch interval begins within (tick-tickLen, tick], as calendar.SlotDue. It reads no
// sync time, so that a sync which changes nothing need not write one.
func (s CalendarStore) RoomsICSDue(ctx context.Context, tick time.Time, tickLen time.Duration) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := sqlx.SelectContext(ctx, s.q, &ids, `SELECT r.id FROM room r
		CROSS JOIN LATERAL (SELECT r.ics_fetch_interval::numeric AS iv,
			('x' || right(r.id::text, 8))::bit(32)::bigint % r.ics_fetch_interval AS phase) slot
		WHERE r.ics_enabled AND COALESCE(r.ics_url, '') <> ''
		AND (r.ics_last_sync IS NULL OR r.ics_last_status = 'error'
			OR floor(($1::bigint - slot.phase) / slot.iv) <> floor(($1::bigint - $2::bigint - slot.phase) / slot.iv))
		ORDER BY r.ics_last_sync NULLS FIRST, r.id`, tick.Unix(), max(int64(tickLen/time.Second), 1))
	if err != nil {
		return nil, fmt.Errorf("rooms ics due: %w", err)
	}
	return ids, nil
}

// RoomICS reads a room's calendar settings.
func (s CalendarStore) RoomICS(ctx context.Context, roomID uuid.UUID) (calendar.RoomICS, error) {
	return s.roomICS(ctx, `SELECT `+roomICSCols+` FROM room WHERE id = $1`, roomID)
}

// RoomICSLock reads a room's calendar settings and locks the row. FOR NO KEY UPDATE leaves
// foreign-key checks (a meeting inserted for the room) unblocked.
func (s CalendarStore) RoomICSLock(ctx context.Context, roomID uuid.UUID) (calendar.RoomICS, error) {
	return s.roomICS(ctx, `SELECT `+roomICSCols+` FROM room WHERE id = $1 FOR NO KEY UPDATE`, roomID)
}

func (s CalendarStore) roomICS(ctx context.Context, q string, roomID uuid.UUID) (calendar.RoomICS, error) {
	var row roomICSRow
	if err := sqlx.GetContext(ctx, s.q, &row, q, roomID); err != nil {
		if isNoRows(err) {
			return calendar.RoomICS{}, calendar.ErrRoomNotFound
		}
		return calendar.RoomICS{}, fmt.Errorf("room ics: %w", err)
	}
	return row.domain(), nil
}

// RoomICSSynced records a successful sync, or an unchanged one that changed the room's state.
func (s CalendarStore) RoomICSSynced(ctx context.Context, roomID uuid.UUID, m calendar.SyncMark) error {
	res, err := s.q.ExecContext(ctx, `UPDATE room SET ics_last_sync = $2, ics_last_etag = NULLIF($3, ''),
		ics_last_modified = NULLIF($4, ''), ics_last_hash = NULLIF($5, ''), ics_last_status = $6,
		ics_last_error = NULL, ics_last_applied = CASE WHEN $7 THEN $2 ELSE ics_last_applied END
		WHERE id = $1`, roomID, m.At, m.ETag, m.LastModified, m.Hash, string(m.Status), m.Applied)
	if err != nil {
		return fmt.Errorf("room ics synced: %w", err)
	}
	return oneRowCalendar(res)
}

// RoomICSFailed records a failed sync, keeping the last sync time and validators.
func (s CalendarStore) RoomICSFailed(ctx context.Context, roomID uuid.UUID, reason string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE room SET ics_last_status = 'error', ics_last_error = $2 WHERE id = $1`,
		roomID, pgText(reason))
	if err != nil {
		return fmt.Errorf("room ics failed: %w", err)
	}
	return oneRowCalendar(res)
}

func oneRowCalendar(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return calendar.ErrRoomNotFound
	}
	return nil
}

// pgText makes feed text storable: Postgres text refuses NUL bytes and invalid UTF-8.
func pgText(s string) string { return redact.Text(s) }
