package emulator

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"
)

// DailyRecording is Daily's recording object with its real keys (s3key, mtgSessionId, and
// s3Key inside tracks).
type DailyRecording struct {
	ID              string       `json:"id"`
	RoomName        string       `json:"room_name"`
	StartTS         int64        `json:"start_ts"`
	Status          string       `json:"status"`
	MaxParticipants int          `json:"max_participants,omitempty"`
	Duration        *int         `json:"duration,omitempty"` // absent while in progress
	ShareToken      string       `json:"share_token,omitempty"`
	S3Key           string       `json:"s3key,omitempty"`
	MtgSessionID    string       `json:"mtgSessionId,omitempty"`
	Tracks          []DailyTrack `json:"tracks"`
}

// DailyTrack is one raw track.
type DailyTrack struct {
	Type  string `json:"type"`
	S3Key string `json:"s3Key"`
	Size  int64  `json:"size"`
}

// DailyWebhook is Daily's webhook object.
type DailyWebhook struct {
	UUID             string   `json:"uuid"`
	URL              string   `json:"url"`
	HMAC             string   `json:"hmac"`
	BasicAuth        *string  `json:"basicAuth"`
	EventTypes       []string `json:"eventTypes"`
	State            string   `json:"state"`
	FailedCount      int      `json:"failedCount"`
	LastMomentPushed *string  `json:"lastMomentPushed"`
	DomainID         string   `json:"domainId"`
	RetryType        string   `json:"retryType"`
	CreatedAt        string   `json:"createdAt"`
	UpdatedAt        string   `json:"updatedAt"`
}

// AddRecording stores a recording for the recordings endpoints (newest start_ts first).
func (d *Daily) AddRecording(rec DailyRecording) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.recordings = append(d.recordings, rec)
	sort.SliceStable(d.recordings, func(i, j int) bool { return d.recordings[i].StartTS > d.recordings[j].StartTS })
}

// AddWebhook stores a webhook as if created through the API and returns it. Empty UUID,
// HMAC (the emulator's secret), State ("ACTIVE") and RetryType get defaults.
func (d *Daily) AddWebhook(h DailyWebhook) DailyWebhook {
	now := isoMillis(d.Now())
	d.mu.Lock()
	defer d.mu.Unlock()
	h.UUID = cmp.Or(h.UUID, newUUID())
	h.HMAC = cmp.Or(h.HMAC, base64.StdEncoding.EncodeToString(d.key))
	h.State = cmp.Or(h.State, "ACTIVE")
	h.RetryType = cmp.Or(h.RetryType, "circuit-breaker")
	h.DomainID = cmp.Or(h.DomainID, d.domain)
	h.CreatedAt, h.UpdatedAt = now, now
	d.webhooks = append(d.webhooks, &h)
	return h
}

// Webhooks returns copies of the stored webhooks.
func (d *Daily) Webhooks() []DailyWebhook {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]DailyWebhook, 0, len(d.webhooks))
	for _, h := range d.webhooks {
		out = append(out, *h)
	}
	return out
}

func (d *Daily) listRecordings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := strconv.Atoi(cmp.Or(q.Get("limit"), "100"))
	if err != nil || limit < 1 || limit > 100 {
		dailyError(w, http.StatusBadRequest, "limit must be between 1 and 100")
		return
	}
	d.mu.Lock()
	var all []DailyRecording
	for _, rec := range d.recordings {
		if room := q.Get("room_name"); room == "" || rec.RoomName == room {
			all = append(all, rec)
		}
	}
	d.mu.Unlock()
	page := all
	if after := q.Get("starting_after"); after != "" {
		i := slices.IndexFunc(all, func(rec DailyRecording) bool { return rec.ID == after })
		page = all[i+1:] // i == -1 gives everything
	}
	page = page[:min(limit, len(page))]
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(all), "data": nonNil(page)})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (d *Daily) recording(id string) (DailyRecording, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := slices.IndexFunc(d.recordings, func(rec DailyRecording) bool { return rec.ID == id })
	if i < 0 {
		return DailyRecording{}, false
	}
	return d.recordings[i], true
}

func (d *Daily) getRecording(w http.ResponseWriter, r *http.Request) {
	rec, ok := d.recording(r.PathValue("id"))
	if !ok {
		dailyError(w, http.StatusNotFound, "recording "+r.PathValue("id")+" not found")
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (d *Daily) recordingLink(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := d.recording(id); !ok {
		dailyError(w, http.StatusNotFound, "recording "+id+" not found")
		return
	}
	valid, err := strconv.Atoi(cmp.Or(r.URL.Query().Get("valid_for_secs"), "3600"))
	if err != nil || valid <= 0 {
		dailyError(w, http.StatusBadRequest, "valid_for_secs must be a positive integer")
		return
	}
	exp := d.Now().Add(time.Duration(valid) * time.Second).Unix()
	d.mu.Lock()
	_, synthetic := d.media[id]
	d.mu.Unlock()
	if synthetic {
		writeJSON(w, http.StatusOK, map[string]any{"download_link": d.mediaLink(r, id, exp), "expires": exp})
		return
	}
	link := fmt.Sprintf("https://%s-recordings.s3.amazonaws.com/%s?X-Amz-Expires=%d", d.domain, id, valid)
	writeJSON(w, http.StatusOK, map[string]any{"download_link": link, "expires": exp})
}

func (d *Daily) webhook(uuid string) (*DailyWebhook, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := slices.IndexFunc(d.webhooks, func(h *DailyWebhook) bool { return h.UUID == uuid })
	if i < 0 {
		return nil, false
	}
	return d.webhooks[i], true
}

func (d *Daily) listWebhooks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, nonNil(d.Webhooks()))
}

func (d *Daily) getWebhook(w http.ResponseWriter, r *http.Request) {
	h, ok := d.webhook(r.PathValue("uuid"))
	if !ok {
		dailyError(w, http.StatusNotFound, "webhook not found")
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	writeJSON(w, http.StatusOK, *h)
}

// updateWebhook applies the update, runs Daily's {"test":"test"} ping (signed with the
// webhook's key) and, on a 200, makes the webhook ACTIVE with failedCount 0: this is how a
// FAILED webhook is reactivated.
func (d *Daily) updateWebhook(w http.ResponseWriter, r *http.Request) {
	h, ok := d.webhook(r.PathValue("uuid"))
	if !ok {
		dailyError(w, http.StatusNotFound, "webhook not found")
		return
	}
	var req struct {
		URL        string   `json:"url"`
		EventTypes []string `json:"eventTypes"`
		HMAC       string   `json:"hmac"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "json-parsing-error", "info": err.Error()})
		return
	}
	d.mu.Lock()
	next := *h
	d.mu.Unlock()
	next.URL, next.HMAC = cmp.Or(req.URL, next.URL), cmp.Or(req.HMAC, next.HMAC)
	if req.EventTypes != nil {
		next.EventTypes = req.EventTypes
	}
	key, err := base64.StdEncoding.DecodeString(next.HMAC)
	if err != nil {
		dailyError(w, http.StatusBadRequest, "hmac must be base64")
		return
	}
	if err := d.ping(r.Context(), next.URL, key); err != nil {
		dailyError(w, http.StatusBadRequest, "webhook test request failed: "+err.Error())
		return
	}
	next.State, next.FailedCount, next.UpdatedAt = "ACTIVE", 0, isoMillis(d.Now())
	d.mu.Lock()
	*h = next
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, next)
}

func (d *Daily) ping(ctx context.Context, url string, key []byte) error {
	body := []byte(`{"test":"test"}`)
	resp, err := post(ctx, d.client, url, body, d.signHeaders(key, body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func post(ctx context.Context, c *http.Client, url string, body []byte, h http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = h
	return c.Do(req)
}
