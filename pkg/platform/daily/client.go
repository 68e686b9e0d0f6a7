// Package daily is the Daily (daily.co) REST client: rooms, presence, meeting tokens,
// recordings and webhook management, plus webhook signature verification and event parsing.
package daily

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/time/rate"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// DefaultBaseURL is Daily's REST API root.
const DefaultBaseURL = "https://api.daily.co/v1"

// Bucket is the customer S3 bucket Daily writes cloud and raw-tracks recordings to.
type Bucket struct {
	Name    string
	Region  string
	RoleARN string // role Daily assumes to write
}

// Config configures a Client. Zero values get the defaults noted.
type Config struct {
	BaseURL          string // default DefaultBaseURL
	APIKey           string
	WebhookSecret    string        // the webhook's base64 "hmac"; empty: every webhook is rejected
	ReplayWindow     time.Duration // accepted webhook timestamp skew, both ways; default 5 min
	RecordingsBucket Bucket        // used for cloud recording rooms when Name is set
	HTTPClient       *http.Client
	Timeout          time.Duration // per attempt; default 10 s
	// RatePerSecond is the budget of most endpoints (Daily: 20 req/s); default 20.
	RatePerSecond float64
	// DeleteRatePerSecond is the budget of DELETE /rooms/:name and GET /recordings
	// (Daily: about 2 req/s, 50 per 30 s); default 1.6. Each endpoint gets its own limiter.
	DeleteRatePerSecond float64
	MaxRetries          int                   // default 3
	MaxBackoff          time.Duration         // longest wait between tries; default 30 s
	RetryBaseBackoff    time.Duration         // first backoff between tries; default 250 ms
	BreakerThreshold    int                   // failed calls in a row to one operation that open its breaker; default 5
	BreakerCooldown     time.Duration         // default 30 s
	Observer            platform.CallObserver // records calls for metrics; nil: none
	Now                 func() time.Time      // default time.Now
}

// Client talks to Daily. It implements platform.Client, PresenceReader,
// DomainPresenceReader and TokenIssuer.
type Client struct {
	http          *httpcall.Caller
	deleteLimiter *rate.Limiter
	listLimiter   *rate.Limiter
	key           []byte // decoded webhook secret; nil when absent or invalid
	window        time.Duration
	bucket        Bucket
}

var (
	_ platform.Client               = (*Client)(nil)
	_ platform.PresenceReader       = (*Client)(nil)
	_ platform.DomainPresenceReader = (*Client)(nil)
	_ platform.TokenIssuer          = (*Client)(nil)
)

// New returns a Daily client.
func New(cfg Config) *Client {
	cfg = withDefaults(cfg)
	key, err := base64.StdEncoding.DecodeString(cfg.WebhookSecret)
	if err != nil || len(key) == 0 {
		key = nil
	}
	return &Client{
		http: httpcall.New(httpcall.Config{
			Provider: platform.Daily, BaseURL: cfg.BaseURL, APIKey: cfg.APIKey,
			HTTPClient: cfg.HTTPClient, Timeout: cfg.Timeout, MaxRetries: cfg.MaxRetries,
			MaxBackoff: cfg.MaxBackoff, BaseBackoff: cfg.RetryBaseBackoff, Now: cfg.Now, DecodeError: decodeError,
			Limiter:          limiter(cfg.RatePerSecond),
			BreakerThreshold: cfg.BreakerThreshold, BreakerCooldown: cfg.BreakerCooldown,
			Observer: cfg.Observer,
		}),
		deleteLimiter: limiter(cfg.DeleteRatePerSecond),
		listLimiter:   limiter(cfg.DeleteRatePerSecond),
		key:           key,
		window:        cfg.ReplayWindow,
		bucket:        cfg.RecordingsBucket,
	}
}

func withDefaults(cfg Config) Config {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.ReplayWindow <= 0 {
		cfg.ReplayWindow = 5 * time.Minute
	}
	if cfg.RatePerSecond <= 0 {
		cfg.RatePerSecond = 20
	}
	if cfg.DeleteRatePerSecond <= 0 {
		cfg.DeleteRatePerSecond = 1.6
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// limiter allows rps with a burst of one second's worth.
func limiter(rps float64) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(rps), max(1, int(rps)))
}

// Name implements platform.Client.
func (c *Client) Name() string { return platform.Daily }

// decodeError reads Daily's {"error": "<type>", "info": "<text>"} body.
func decodeError(body []byte) (string, string, time.Duration) {
	var e struct {
		Error string `json:"error"`
		Info  string `json:"info"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		return "", string(body), 0
	}
	return e.Error, e.Info, 0
}

// do runs one JSON request against Daily.
func (c *Client) do(ctx context.Context, req httpcall.Request, out any) error {
	return c.http.Do(ctx, req, out)
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }
