package whereby

import (
	"context"
	"regexp"

	"github.com/monadical/reflector-go/pkg/platform"
)

// ourName matches the room names of meetings created with RoomNamePrefix (Whereby appends a
// uuid to the prefix).
var ourName = regexp.MustCompile(`^/[a-z0-9-]+-[0-9a-f]{16}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

var _ platform.RoomLister = (*Client)(nil)

// ListRooms pages through GET /meetings and keeps the meetings named by RoomNamePrefix; Ref is
// the meeting id DeleteRoom deletes by.
func (c *Client) ListRooms(ctx context.Context, maxPages int) ([]platform.ProviderRoom, error) {
	var out []platform.ProviderRoom
	err := c.eachMeeting(ctx, maxPages, func(m Meeting) bool {
		if ourName.MatchString(m.RoomName) {
			out = append(out, platform.ProviderRoom{Name: m.RoomName, Ref: m.MeetingID, CreatedAt: m.StartDate})
		}
		return true
	})
	return out, err
}
