package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/room"
)

// RoomsList lists rooms for operators, newest first: every room, or one owner's when owner
// is set. The caller redacts what it prints.
func (s RoomStore) RoomsList(ctx context.Context, owner string, limit int) ([]room.Room, error) {
	var out []room.Room
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+roomCols+` FROM room
		WHERE $1 = '' OR user_id = $1 ORDER BY created_at DESC, id LIMIT $2`, owner, limit)
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	return out, nil
}
