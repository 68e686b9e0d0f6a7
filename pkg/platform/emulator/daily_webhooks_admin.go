package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
)

// Daily webhook management endpoints beyond list, get and update.
const (
	DailyCreateWebhook = "POST /webhooks"
	DailyDeleteWebhook = "DELETE /webhooks/{uuid}"
)

// createWebhook is POST /webhooks: a base64 hmac (or a generated one), a {"test":"test"}
// ping that must answer 200, and at most one webhook per domain, as Daily measures.
func (d *Daily) createWebhook(w http.ResponseWriter, r *http.Request) {
	var req struct {
		URL        string   `json:"url"`
		EventTypes []string `json:"eventTypes"`
		HMAC       string   `json:"hmac"`
		RetryType  string   `json:"retryType"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "json-parsing-error", "info": err.Error()})
		return
	}
	if req.URL == "" {
		dailyError(w, http.StatusBadRequest, "url is required")
		return
	}
	key, err := webhookKey(req.HMAC)
	if err != nil {
		dailyError(w, http.StatusBadRequest, "hmac must be base64")
		return
	}
	if len(d.Webhooks()) > 0 {
		dailyError(w, http.StatusBadRequest, "a domain may only have one webhook (max_webhook_count: 1)")
		return
	}
	if err := d.ping(r.Context(), req.URL, key); err != nil {
		dailyError(w, http.StatusBadRequest, "webhook test request failed: "+err.Error())
		return
	}
	h := d.AddWebhook(DailyWebhook{URL: req.URL, EventTypes: nonNil(req.EventTypes),
		HMAC: base64.StdEncoding.EncodeToString(key), RetryType: req.RetryType})
	writeJSON(w, http.StatusOK, h)
}

// webhookKey decodes a webhook's base64 hmac, or makes 32 random bytes when it is empty.
func webhookKey(hmac string) ([]byte, error) {
	if hmac == "" {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		return key, nil
	}
	return base64.StdEncoding.DecodeString(hmac)
}

// deleteWebhook is DELETE /webhooks/{uuid}.
func (d *Daily) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	d.mu.Lock()
	i := slices.IndexFunc(d.webhooks, func(h *DailyWebhook) bool { return h.UUID == id })
	if i >= 0 {
		d.webhooks = slices.Delete(d.webhooks, i, i+1)
	}
	d.mu.Unlock()
	if i < 0 {
		dailyError(w, http.StatusNotFound, "webhook not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"uuid": id, "deleted": true})
}
