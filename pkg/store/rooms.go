package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/room"
)

// RoomStore implements room.Store.
type RoomStore struct{ base }

// NewRoomStore returns the room adapter on db.
func NewRoomStore(db *sqlx.DB) RoomStore { return RoomStore{newBase(db)} }

const roomCols = `id, name, user_id, created_at, zulip_auto_post, zulip_stream, zulip_topic, is_locked,
	room_mode, recording_type, recording_trigger, is_shared, webhook_url, webhook_secret, ics_url,
	ics_fetch_interval, ics_enabled, ics_last_sync, ics_last_etag, platform, skip_consent, grace_period_minutes`

// RoomInsert inserts a new room; a taken name is room.ErrNameTaken.
func (s RoomStore) RoomInsert(ctx context.Context, r room.Room) error {
	_, err := sqlx.NamedExecContext(ctx, s.q, `INSERT INTO room (`+roomCols+`) VALUES (:id, :name, :user_id,
		:created_at, :zulip_auto_post, :zulip_stream, :zulip_topic, :is_locked, :room_mode, :recording_type,
		:recording_trigger, :is_shared, :webhook_url, :webhook_secret, :ics_url, :ics_fetch_interval,
		:ics_enabled, :ics_last_sync, :ics_last_etag, :platform, :skip_consent, :grace_period_minutes)`, r)
	return roomErr(err)
}

// RoomByID returns a room or room.ErrNotFound.
func (s RoomStore) RoomByID(ctx context.Context, id uuid.UUID) (room.Room, error) {
	return roomGet(ctx, s.q, `SELECT `+roomCols+` FROM room WHERE id = $1`, id)
}

// RoomByName returns a room or room.ErrNotFound.
func (s RoomStore) RoomByName(ctx context.Context, name string) (room.Room, error) {
	return roomGet(ctx, s.q, `SELECT `+roomCols+` FROM room WHERE name = $1`, name)
}

// RoomsVisible pages through the rooms userID owns plus shared rooms, newest first, and
// counts them all.
func (s RoomStore) RoomsVisible(ctx context.Context, userID string, limit, offset int) ([]room.Room, int, error) {
	var rows []struct {
		room.Room
		Total int `db:"total"`
	}
	err := sqlx.SelectContext(ctx, s.q, &rows, `SELECT `+roomCols+`, count(*) OVER () AS total FROM room
		WHERE is_shared OR (user_id = $1 AND $1 <> '') ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
		userID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("select rooms: %w", err)
	}
	out := make([]room.Room, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.Room, r.Total
	}
	if len(rows) == 0 && offset > 0 {
		err = sqlx.GetContext(ctx, s.q, &total, `SELECT count(*) FROM room WHERE is_shared OR (user_id = $1 AND $1 <> '')`, userID)
	}
	return out, total, err
}

// RoomUpdate writes every setting of r. A new ics_url forgets what was known of the old feed
// (validators, content hash, last sync), so the new one is fetched in full on the next tick.
func (s RoomStore) RoomUpdate(ctx context.Context, r room.Room) error {
	res, err := sqlx.NamedExecContext(ctx, s.q, `UPDATE room SET `+icsURLChangeResets+`,
		name = :name, zulip_auto_post = :zulip_auto_post,
		zulip_stream = :zulip_stream, zulip_topic = :zulip_topic, is_locked = :is_locked, room_mode = :room_mode,
		recording_type = :recording_type, recording_trigger = :recording_trigger, is_shared = :is_shared,
		webhook_url = :webhook_url, webhook_secret = :webhook_secret, ics_url = :ics_url,
		ics_fetch_interval = :ics_fetch_interval, ics_enabled = :ics_enabled, platform = :platform,
		skip_consent = :skip_consent, grace_period_minutes = :grace_period_minutes WHERE id = :id`, r)
	if err != nil {
		return roomErr(err)
	}
	return oneRow(res, room.ErrNotFound)
}

// icsURLChangeResets clears the sync bookkeeping of a room whose ics_url changes (the right
// hand sides read the row before the update).
const icsURLChangeResets = `ics_last_etag = CASE WHEN ics_url IS DISTINCT FROM :ics_url THEN NULL ELSE ics_last_etag END,
		ics_last_modified = CASE WHEN ics_url IS DISTINCT FROM :ics_url THEN NULL ELSE ics_last_modified END,
		ics_last_hash = CASE WHEN ics_url IS DISTINCT FROM :ics_url THEN NULL ELSE ics_last_hash END,
		ics_last_applied = CASE WHEN ics_url IS DISTINCT FROM :ics_url THEN NULL ELSE ics_last_applied END,
		ics_last_sync = CASE WHEN ics_url IS DISTINCT FROM :ics_url THEN NULL ELSE ics_last_sync END`

// RoomDelete deletes a room; its meetings, sessions, intents and events go with it (foreign
// keys, and the trigger of migration 0010).
func (s RoomStore) RoomDelete(ctx context.Context, id uuid.UUID) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM room WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete room: %w", err)
	}
	return oneRow(res, room.ErrNotFound)
}

func roomGet(ctx context.Context, q sqlx.QueryerContext, query string, arg any) (room.Room, error) {
	var r room.Room
	if err := sqlx.GetContext(ctx, q, &r, query, arg); err != nil {
		if isNoRows(err) {
			return r, room.ErrNotFound
		}
		return r, fmt.Errorf("select room: %w", err)
	}
	return r, nil
}

func roomErr(err error) error {
	if err == nil {
		return nil
	}
	if pgCode(err) == pgUniqueViolation && constraint(err) == "uq_room_name" {
		return room.ErrNameTaken
	}
	return fmt.Errorf("write room: %w", err)
}

type rowsAffected interface{ RowsAffected() (int64, error) }

func oneRow(res rowsAffected, notFound error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}
