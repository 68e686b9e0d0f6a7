package daily

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// ourName matches the names RoomName makes.
var ourName = regexp.MustCompile(`^[A-Za-z0-9_-]+-[0-9a-f]{32}$`)

var _ platform.RoomLister = (*Client)(nil)

type roomList struct {
	TotalCount int    `json:"total_count"`
	Data       []Room `json:"data"`
}

// ListRooms pages through GET /rooms (100 a page, newest first) and keeps the rooms named
// by RoomName.
func (c *Client) ListRooms(ctx context.Context, maxPages int) ([]platform.ProviderRoom, error) {
	var out []platform.ProviderRoom
	q := url.Values{"limit": {strconv.Itoa(100)}}
	for range maxPages {
		var page roomList
		if err := c.do(ctx, httpcall.Request{Op: "ListRooms", Method: http.MethodGet, Path: "/rooms", Query: q}, &page); err != nil {
			return out, err
		}
		for _, r := range page.Data {
			if ourName.MatchString(r.Name) {
				out = append(out, platform.ProviderRoom{Name: r.Name, Ref: r.Name, CreatedAt: r.CreatedAt})
			}
		}
		if len(page.Data) < 100 {
			break
		}
		q.Set("starting_after", page.Data[len(page.Data)-1].ID)
	}
	return out, nil
}
