package daily

import (
	"context"
	"net/http"
	"time"

	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// Webhook is Daily's webhook object (camelCase keys).
type Webhook struct {
	UUID             string     `json:"uuid"`
	URL              string     `json:"url"`
	HMAC             string     `json:"hmac,omitempty"`
	BasicAuth        *string    `json:"basicAuth"`
	EventTypes       []string   `json:"eventTypes"`
	State            string     `json:"state"` // ACTIVE | FAILED (| INACTIVE)
	FailedCount      int        `json:"failedCount"`
	LastMomentPushed *time.Time `json:"lastMomentPushed,omitempty"`
	DomainID         string     `json:"domainId"`
	RetryType        string     `json:"retryType,omitempty"`
	CreatedAt        time.Time  `json:"createdAt"`
	UpdatedAt        time.Time  `json:"updatedAt"`
}

// Webhooks lists the domain's webhooks (GET /webhooks returns a bare array).
func (c *Client) Webhooks(ctx context.Context) ([]Webhook, error) {
	var hooks []Webhook
	err := c.do(ctx, httpcall.Request{Op: "Webhooks", Method: http.MethodGet, Path: "/webhooks"}, &hooks)
	return hooks, err
}

// ReactivateWebhook re-enables a webhook (e.g. FAILED after three failed deliveries) by
// updating it with its own url and event types (POST /webhooks/:uuid); Daily re-runs its
// test ping and resets the state. It reads the webhook first (GET /webhooks/:uuid).
func (c *Client) ReactivateWebhook(ctx context.Context, uuid string) (Webhook, error) {
	var hook Webhook
	err := c.do(ctx, httpcall.Request{Op: "ReactivateWebhook", Method: http.MethodGet, Path: "/webhooks/" + seg(uuid)}, &hook)
	if err != nil {
		return Webhook{}, err
	}
	body := map[string]any{"url": hook.URL, "eventTypes": hook.EventTypes}
	err = c.do(ctx, httpcall.Request{Op: "ReactivateWebhook", Method: http.MethodPost,
		Path: "/webhooks/" + seg(uuid), Body: body, Idempotent: true}, &hook)
	return hook, err
}
