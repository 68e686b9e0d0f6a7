package whereby

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// maxListPages bounds a GET /meetings scan (100 meetings a page).
const maxListPages = 20

// Meeting is Whereby's meeting object.
type Meeting struct {
	MeetingID   string    `json:"meetingId"`
	RoomName    string    `json:"roomName"` // starts with "/"
	RoomURL     string    `json:"roomUrl"`
	HostRoomURL string    `json:"hostRoomUrl,omitempty"`
	StartDate   time.Time `json:"startDate"`
	EndDate     time.Time `json:"endDate"`
}

type createMeetingRequest struct {
	EndDate         string     `json:"endDate"`
	IsLocked        bool       `json:"isLocked"`
	RoomNamePrefix  string     `json:"roomNamePrefix"`
	RoomNamePattern string     `json:"roomNamePattern"`
	RoomMode        string     `json:"roomMode,omitempty"`
	Fields          []string   `json:"fields"`
	Recording       *recording `json:"recording,omitempty"`
}

type recording struct {
	Type         string      `json:"type"`
	Destination  destination `json:"destination"`
	StartTrigger string      `json:"startTrigger,omitempty"`
}

type destination struct {
	Provider           string `json:"provider"`
	AuthenticationType string `json:"authenticationType"`
	Bucket             string `json:"bucket"`
	AccessKeyID        string `json:"accessKeyId"`
	AccessKeySecret    string `json:"accessKeySecret"`
	FileFormat         string `json:"fileFormat"`
}

// RoomNamePrefix is the roomNamePrefix of a meeting: up to 20 chars of the room name in
// [a-z0-9-], a dash, 16 hex of SHA-256(meeting id) and a trailing dash (Whereby appends the
// uuid without a separator), at most 38 of Whereby's 39 chars. The key lets a retried
// create recognise the meeting it already made.
func RoomNamePrefix(meetingID, roomName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(roomName) {
		if b.Len() == 20 {
			break
		}
		if r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		} else if !isSpace(r) {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		b.WriteString("room")
	}
	sum := sha256.Sum256([]byte(meetingID))
	return b.String() + "-" + hex.EncodeToString(sum[:8]) + "-"
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// createCall is one in-flight create that concurrent callers with the same meeting id join.
type createCall struct {
	done chan struct{}
	m    platform.Meeting
	err  error
}

// CreateMeeting creates the meeting's Whereby room or adopts the one it already has.
// Whereby names rooms itself, so idempotency comes from the roomNamePrefix, which embeds a
// key of req.MeetingID: concurrent calls in this process share one create; otherwise the
// client lists GET /meetings for that prefix first and adopts a match, and after creating
// lists again and, if an earlier meeting with the prefix exists (a create racing in another
// process), deletes its own and adopts the earlier one.
func (c *Client) CreateMeeting(ctx context.Context, req platform.CreateRequest) (platform.Meeting, error) {
	c.mu.Lock()
	if call, ok := c.pending[req.MeetingID]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.m, call.err
		case <-ctx.Done():
			return platform.Meeting{}, ctx.Err()
		}
	}
	call := &createCall{done: make(chan struct{})}
	c.pending[req.MeetingID] = call
	c.mu.Unlock()

	call.m, call.err = c.createOrAdopt(ctx, req)
	c.mu.Lock()
	delete(c.pending, req.MeetingID)
	c.mu.Unlock()
	close(call.done)
	return call.m, call.err
}

func (c *Client) createOrAdopt(ctx context.Context, req platform.CreateRequest) (platform.Meeting, error) {
	prefix := RoomNamePrefix(req.MeetingID, req.Room.Name)
	if found, ok, err := c.earliestWithPrefix(ctx, prefix); err != nil || ok {
		return toPlatform(found), err
	}
	var created Meeting
	err := c.http.Do(ctx, httpcall.Request{Op: "CreateMeeting", Method: http.MethodPost, Path: "/meetings",
		Body: c.createBody(prefix, req), Cost: costWrite}, &created)
	if err != nil {
		return platform.Meeting{}, err
	}
	found, ok, err := c.earliestWithPrefix(ctx, prefix)
	if err != nil {
		return toPlatform(created), nil //nolint:nilerr // the check is best effort; ours stands
	}
	if !ok || found.MeetingID == created.MeetingID {
		return toPlatform(created), nil
	}
	_ = c.deleteMeeting(ctx, created.MeetingID) // lost the race; the room also expires on its own
	return toPlatform(found), nil
}

func (c *Client) createBody(prefix string, req platform.CreateRequest) createMeetingRequest {
	body := createMeetingRequest{
		EndDate: req.EndDate.UTC().Format("2006-01-02T15:04:05.000Z"), IsLocked: req.Room.IsLocked,
		RoomNamePrefix: prefix, RoomNamePattern: "uuid", RoomMode: req.Room.RoomMode,
		Fields: []string{"hostRoomUrl"},
	}
	if req.Room.RecordingType == "cloud" {
		body.Recording = &recording{Type: "cloud", StartTrigger: req.Room.RecordingTrigger,
			Destination: destination{Provider: "s3", AuthenticationType: "accessKey", Bucket: c.bucket.Name,
				AccessKeyID: c.bucket.AccessKeyID, AccessKeySecret: c.bucket.SecretAccessKey, FileFormat: "mp4"}}
	}
	return body
}

func toPlatform(m Meeting) platform.Meeting {
	return platform.Meeting{ProviderID: m.MeetingID, RoomName: m.RoomName, RoomURL: m.RoomURL, HostRoomURL: m.HostRoomURL}
}

// earliestWithPrefix finds the earliest-started meeting whose room name starts with prefix.
func (c *Client) earliestWithPrefix(ctx context.Context, prefix string) (Meeting, bool, error) {
	var best Meeting
	found := false
	err := c.eachMeeting(ctx, maxListPages, func(m Meeting) bool {
		if strings.HasPrefix(m.RoomName, "/"+prefix) && (!found || m.StartDate.Before(best.StartDate)) {
			best, found = m, true
		}
		return true
	})
	return best, found, err
}

type meetingList struct {
	Results []Meeting `json:"results"`
	Cursor  *string   `json:"cursor"`
}

// eachMeeting pages through GET /meetings until fn returns false, the pages end or pages were read.
func (c *Client) eachMeeting(ctx context.Context, pages int, fn func(Meeting) bool) error {
	q := url.Values{"limit": {"100"}, "fields": {"hostRoomUrl"}}
	for range pages {
		var page meetingList
		err := c.http.Do(ctx, httpcall.Request{Op: "ListMeetings", Method: http.MethodGet,
			Path: "/meetings", Query: q, Cost: costRead}, &page)
		if err != nil {
			return err
		}
		for _, m := range page.Results {
			if !fn(m) {
				return nil
			}
		}
		if page.Cursor == nil || *page.Cursor == "" {
			return nil
		}
		q.Set("cursor", *page.Cursor)
	}
	return nil
}

// DeleteRoom deletes a Whereby meeting. The argument is the provider meeting id
// (platform.Meeting.ProviderID), because Whereby deletes by meetingId; a room name (it
// starts with "/") is also accepted and resolved through GET /meetings. A meeting that
// does not exist is not an error (Whereby answers 204 anyway; 404 is tolerated too).
func (c *Client) DeleteRoom(ctx context.Context, roomName string) error {
	id := roomName
	if strings.HasPrefix(roomName, "/") {
		id = ""
		err := c.eachMeeting(ctx, maxListPages, func(m Meeting) bool {
			if m.RoomName == roomName {
				id = m.MeetingID
			}
			return id == ""
		})
		if err != nil || id == "" {
			return err
		}
	}
	return c.deleteMeeting(ctx, id)
}

func (c *Client) deleteMeeting(ctx context.Context, id string) error {
	err := c.http.Do(ctx, httpcall.Request{Op: "DeleteRoom", Method: http.MethodDelete,
		Path: "/meetings/" + url.PathEscape(id), Cost: costDelete}, nil)
	if isNotFound(err) {
		return nil
	}
	return err
}
