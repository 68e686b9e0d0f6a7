package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// maxWebhookBody bounds a webhook delivery; a larger one is refused with 413 before it is
// verified or stored.
const maxWebhookBody = 1 << 20

// WebhookReceiver is the inbox the provider webhook routes hand raw deliveries to
// (webhook.Service).
type WebhookReceiver interface {
	Receive(ctx context.Context, provider string, h http.Header, body []byte) (webhook.Ack, error)
}

// errNoInbox answers webhooks when no inbox is wired: the delivery cannot be authenticated.
var errNoInbox = &statusError{http.StatusUnauthorized, clientText(webhook.ErrBadSignature)}

// dailyWebhook receives Daily's webhooks (POST /v1/daily/webhook).
func (s *server) dailyWebhook(c echo.Context) error { return s.receiveWebhook(c, platform.Daily) }

// wherebyWebhook receives Whereby's webhooks (POST /v1/whereby).
func (s *server) wherebyWebhook(c echo.Context) error { return s.receiveWebhook(c, platform.Whereby) }

// receiveWebhook reads the raw body (the signature covers these exact bytes) and hands it to
// the inbox. Every accepted delivery, whatever its type, is answered {"status":"ok"}.
func (s *server) receiveWebhook(c echo.Context, provider string) error {
	if s.d.Webhooks == nil {
		return errNoInbox
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(c.Request().Body, maxWebhookBody+1)); err != nil {
		return invalidField([]any{"body"}, "could not read body", "body_read")
	}
	if buf.Len() > maxWebhookBody {
		return &statusError{http.StatusRequestEntityTooLarge, "Request body too large"}
	}
	if _, err := s.d.Webhooks.Receive(c.Request().Context(), provider, c.Request().Header, buf.Bytes()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// signedRoutes are the routes authenticated by a provider signature instead of a user
// credential, keyed "METHOD path": the auth middleware leaves them alone, so a provider that
// sends its own Authorization header (Daily's basicAuth option) is not refused.
func signedRoutes(routes []Route) map[string]bool {
	out := map[string]bool{}
	for _, r := range routes {
		if r.Auth == AuthSignature {
			out[r.Method+" "+r.Path] = true
		}
	}
	return out
}
