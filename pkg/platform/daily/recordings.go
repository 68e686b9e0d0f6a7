package daily

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// Recording is Daily's recording object. Mind the casing: s3key and mtgSessionId at the top,
// s3Key inside tracks.
type Recording struct {
	ID              string       `json:"id"`
	RoomName        string       `json:"room_name"`
	StartTS         float64      `json:"start_ts"` // unix seconds
	Status          string       `json:"status"`   // in-progress | finished | canceled
	Type            string       `json:"type,omitempty"`
	MaxParticipants *int         `json:"max_participants,omitempty"`
	Duration        *float64     `json:"duration,omitempty"` // seconds; absent while in progress
	ShareToken      string       `json:"share_token,omitempty"`
	S3Key           string       `json:"s3key,omitempty"`
	MtgSessionID    string       `json:"mtgSessionId,omitempty"`
	Tracks          []Track      `json:"tracks,omitempty"`
	S3              *RecordingS3 `json:"s3,omitempty"`
}

// Track is one raw track of a recording.
type Track struct {
	Type  string `json:"type"` // audio | video
	S3Key string `json:"s3Key"`
	Size  int64  `json:"size"`
}

// RecordingS3 is where a recording was stored.
type RecordingS3 struct {
	BucketName   string `json:"bucket_name"`
	BucketRegion string `json:"bucket_region"`
	Key          string `json:"key,omitempty"`
	Endpoint     string `json:"endpoint,omitempty"`
}

// ListRecordingsParams filters GET /recordings. Limit 0 means Daily's default (100).
type ListRecordingsParams struct {
	RoomName      string
	StartingAfter string // recording id; results are newest first
	Limit         int
}

// RecordingList is one page of recordings.
type RecordingList struct {
	TotalCount int         `json:"total_count"`
	Data       []Recording `json:"data"`
}

// Recording reads one recording (GET /recordings/:id).
func (c *Client) Recording(ctx context.Context, id string) (Recording, error) {
	var rec Recording
	err := c.do(ctx, httpcall.Request{Op: "Recording", Method: http.MethodGet, Path: "/recordings/" + seg(id)}, &rec)
	return rec, err
}

// ListRecordings lists recordings (GET /recordings), on the ~2 req/s budget.
func (c *Client) ListRecordings(ctx context.Context, p ListRecordingsParams) (RecordingList, error) {
	q := url.Values{}
	if p.RoomName != "" {
		q.Set("room_name", p.RoomName)
	}
	if p.StartingAfter != "" {
		q.Set("starting_after", p.StartingAfter)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	var list RecordingList
	err := c.do(ctx, httpcall.Request{Op: "ListRecordings", Method: http.MethodGet, Path: "/recordings",
		Query: q, Limiter: c.listLimiter}, &list)
	if err == nil && list.Data == nil {
		err = &platform.Error{Provider: platform.Daily, Op: "ListRecordings", Status: http.StatusOK,
			Message: "response has no data", Err: platform.ErrMalformed}
	}
	return list, err
}

// RecordingAccessLink returns a presigned download URL for a recording and when it expires
// (Daily's default validity, one hour). Daily may put an error text in download_link; that
// is reported as ErrMalformed rather than handed out as a URL.
func (c *Client) RecordingAccessLink(ctx context.Context, recordingID string) (string, time.Time, error) {
	var resp struct {
		DownloadLink string `json:"download_link"`
		Expires      int64  `json:"expires"`
	}
	err := c.do(ctx, httpcall.Request{Op: "RecordingAccessLink", Method: http.MethodGet,
		Path: "/recordings/" + seg(recordingID) + "/access-link"}, &resp)
	if err != nil {
		return "", time.Time{}, err
	}
	if u, perr := url.Parse(resp.DownloadLink); perr != nil || !u.IsAbs() || u.Host == "" {
		return "", time.Time{}, &platform.Error{Provider: platform.Daily, Op: "RecordingAccessLink",
			Status: http.StatusOK, Message: "download_link is not a URL: " + resp.DownloadLink, Err: platform.ErrMalformed}
	}
	return resp.DownloadLink, time.Unix(resp.Expires, 0), nil
}
