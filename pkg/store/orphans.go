package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ProviderRoomInUse reports whether an active meeting other than except names the provider
// room (idx_meeting_room_name): the room:delete task asks before calling the provider.
func (s MeetingStore) ProviderRoomInUse(ctx context.Context, platform, roomName string, except uuid.UUID) (bool, error) {
	var used bool
	err := sqlx.GetContext(ctx, s.q, &used, `SELECT EXISTS (SELECT 1 FROM meeting
		WHERE platform = $1 AND room_name = $2 AND id <> $3 AND is_active)`, platform, roomName, except)
	if err != nil {
		return false, fmt.Errorf("provider room in use: %w", err)
	}
	return used, nil
}

// ProviderRoomsOwned implements meeting.OrphanStore.
func (s MeetingStore) ProviderRoomsOwned(ctx context.Context, platform string, names []string) (map[string]bool, error) {
	var owned []string
	err := sqlx.SelectContext(ctx, s.q, &owned, `SELECT DISTINCT room_name FROM meeting
		WHERE platform = $1 AND room_name = ANY($2) AND (is_active OR provider_room_deleted_at IS NULL)`,
		platform, pq.Array(names))
	if err != nil {
		return nil, fmt.Errorf("provider rooms owned: %w", err)
	}
	out := make(map[string]bool, len(owned))
	for _, n := range owned {
		out[n] = true
	}
	return out, nil
}
