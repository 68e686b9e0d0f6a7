package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

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
