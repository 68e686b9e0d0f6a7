package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// listRooms is GET /rooms: live rooms newest first by created_at (id breaks ties), pages of
// limit (default and max 100) after the room id starting_after, {"total_count", "data"};
// total_count ignores the pagination, as Daily's does.
func (d *Daily) listRooms(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			dailyError(w, http.StatusBadRequest, "limit must be a positive integer")
			return
		}
		limit = min(n, 100)
	}
	now := d.Now()
	d.mu.Lock()
	rooms := make([]*dailyRoom, 0, len(d.rooms))
	for _, room := range d.rooms {
		if room.live(now) {
			rooms = append(rooms, room)
		}
	}
	d.mu.Unlock()
	slices.SortFunc(rooms, func(a, b *dailyRoom) int {
		if c := b.CreatedAt.Truncate(1e9).Compare(a.CreatedAt.Truncate(1e9)); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	page := rooms
	if after := r.URL.Query().Get("starting_after"); after != "" {
		i := slices.IndexFunc(rooms, func(x *dailyRoom) bool { return x.ID == after })
		page = rooms[i+1:] // an unknown id (-1) starts at the top
	}
	page = page[:min(limit, len(page))]
	data := make([]dailyRoomJSON, len(page))
	for i, room := range page {
		data[i] = d.roomJSON(room)
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(rooms), "data": data})
}
