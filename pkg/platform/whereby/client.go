// Package whereby is the Whereby REST client: transient meetings, room-session insights,
// webhook signature verification and event parsing.
package whereby

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/internal/httpcall"
)

// DefaultBaseURL is Whereby's REST API root.
const DefaultBaseURL = "https://api.whereby.dev/v1"

// Point costs of Whereby's rate limit (older OpenAPI text: read 1, delete 2, write 3).
const (
	costRead   = 1
	costDelete = 2
	costWrite  = 3
)

// Bucket is the customer S3 bucket Whereby writes cloud recordings to, with access keys.
type Bucket struct {
	Name            string // may carry a sub-folder: "bucket/recordings"
	Region          string // not in Whereby's recording schema; kept for the reprocess scan
	AccessKeyID     string
	SecretAccessKey string
}

// Config configures a Client. Zero values get the defaults noted.
type Config struct {
	BaseURL         string // default DefaultBaseURL
	APIKey          string
	WebhookSecret   string        // signing secret from the dashboard, used as UTF-8 bytes
	ReplayWindow    time.Duration // accepted timestamp skew, both ways; default 5 min
	RecordingBucket Bucket
	HTTPClient      *http.Client
	Timeout         time.Duration // per attempt; default 10 s
	// RatePerSecond is the point budget per second (Whereby counts points per minute per
	// organisation: 100/min on Build, 1000/min on larger plans); default 100/60.
	RatePerSecond    float64
	MaxRetries       int                   // default 3
	MaxBackoff       time.Duration         // default 30 s
	RetryBaseBackoff time.Duration         // first backoff between tries; default 250 ms
	BreakerThreshold int                   // default 5
	BreakerCooldown  time.Duration         // default 30 s
	Observer         platform.CallObserver // records calls for metrics; nil: none
	Now              func() time.Time      // default time.Now
}

// Client talks to Whereby. It implements platform.Client.
type Client struct {
	http   *httpcall.Caller
	secret []byte
	window time.Duration
	bucket Bucket

	mu      sync.Mutex
	pending map[string]*createCall // in-flight creates by meeting id
}

var _ platform.Client = (*Client)(nil)

// New returns a Whereby client.
func New(cfg Config) *Client {
	cfg = withDefaults(cfg)
	return &Client{
		http: httpcall.New(httpcall.Config{
			Provider: platform.Whereby, BaseURL: cfg.BaseURL, APIKey: cfg.APIKey,
			HTTPClient: cfg.HTTPClient, Timeout: cfg.Timeout, MaxRetries: cfg.MaxRetries,
			MaxBackoff: cfg.MaxBackoff, BaseBackoff: cfg.RetryBaseBackoff, Now: cfg.Now, DecodeError: decodeError,
			// Burst of 10 points: enough for a write (3) and a few reads.
			Limiter:          rate.NewLimiter(rate.Limit(cfg.RatePerSecond), max(10, int(cfg.RatePerSecond))),
			BreakerThreshold: cfg.BreakerThreshold, BreakerCooldown: cfg.BreakerCooldown,
			Observer: cfg.Observer,
		}),
		secret:  []byte(cfg.WebhookSecret),
		window:  cfg.ReplayWindow,
		bucket:  cfg.RecordingBucket,
		pending: map[string]*createCall{},
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
		cfg.RatePerSecond = 100.0 / 60
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// Name implements platform.Client.
func (c *Client) Name() string { return platform.Whereby }

// decodeError reads Whereby's {"error": "<text>", "data": {"msLeft": N}} (429) body. Whereby
// has no error type field; other bodies are undocumented and kept as the message.
func decodeError(body []byte) (string, string, time.Duration) {
	var e struct {
		Error string `json:"error"`
		Data  struct {
			MsLeft int64 `json:"msLeft"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		return "", string(body), 0
	}
	return "", e.Error, time.Duration(e.Data.MsLeft) * time.Millisecond
}
