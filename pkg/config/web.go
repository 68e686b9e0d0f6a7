package config

import "strings"

// WebConfig configures how browsers and other back ends reach the API.
type WebConfig struct {
	// CORSOrigins are the origins allowed to call the API from a browser (CORS_ORIGIN,
	// comma-separated, default "*"), as the original's CORSMiddleware.
	CORSOrigins []string
	// CORSAllowCredentials lets browsers send credentials (CORS_ALLOW_CREDENTIALS).
	CORSAllowCredentials bool
	// UpstreamAPIURL is the original Python back end that routes this API does not serve are
	// proxied to (UPSTREAM_API_URL); "" answers them 404.
	UpstreamAPIURL string
	// RoomWebhookAllowPrivate lets room webhooks reach private and loopback addresses
	// (ROOM_WEBHOOK_ALLOW_PRIVATE_IPS; local development only).
	RoomWebhookAllowPrivate bool
}

func loadWeb(r *reader) WebConfig {
	w := WebConfig{
		CORSOrigins:             r.list("CORS_ORIGIN"),
		CORSAllowCredentials:    r.boolean("CORS_ALLOW_CREDENTIALS", false),
		RoomWebhookAllowPrivate: r.boolean("ROOM_WEBHOOK_ALLOW_PRIVATE_IPS", false),
	}
	if len(w.CORSOrigins) == 0 {
		w.CORSOrigins = []string{"*"}
	}
	if r.str("UPSTREAM_API_URL", "") != "" {
		w.UpstreamAPIURL = strings.TrimRight(r.url("UPSTREAM_API_URL", ""), "/")
	}
	return w
}

func (w WebConfig) redacted() map[string]any {
	return map[string]any{"cors_origin": strings.Join(w.CORSOrigins, ","),
		"cors_allow_credentials": w.CORSAllowCredentials, "upstream_api_url": maskURL(w.UpstreamAPIURL),
		"room_webhook_allow_private_ips": w.RoomWebhookAllowPrivate}
}
