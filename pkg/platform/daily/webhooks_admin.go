package daily

import (
	"context"
	"net/http"

	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// WebhookRequest creates or updates a webhook. HMAC is the base64 signing key (Daily makes
// one when it is empty); Daily test-pings URL before it answers.
type WebhookRequest struct {
	URL        string   `json:"url"`
	EventTypes []string `json:"eventTypes"`
	HMAC       string   `json:"hmac,omitempty"`
}

// CreateWebhook creates the domain's webhook (POST /webhooks). Daily allows one per domain.
func (c *Client) CreateWebhook(ctx context.Context, req WebhookRequest) (Webhook, error) {
	var hook Webhook
	err := c.do(ctx, httpcall.Request{Op: "CreateWebhook", Method: http.MethodPost, Path: "/webhooks", Body: req}, &hook)
	return hook, err
}

// UpdateWebhook updates a webhook (POST /webhooks/:uuid); Daily test-pings its URL again.
func (c *Client) UpdateWebhook(ctx context.Context, uuid string, req WebhookRequest) (Webhook, error) {
	var hook Webhook
	err := c.do(ctx, httpcall.Request{Op: "UpdateWebhook", Method: http.MethodPost, Path: "/webhooks/" + seg(uuid),
		Body: req, Idempotent: true}, &hook)
	return hook, err
}

// DeleteWebhook deletes a webhook (DELETE /webhooks/:uuid); delivery stops at once.
func (c *Client) DeleteWebhook(ctx context.Context, uuid string) error {
	return c.do(ctx, httpcall.Request{Op: "DeleteWebhook", Method: http.MethodDelete, Path: "/webhooks/" + seg(uuid)}, nil)
}
