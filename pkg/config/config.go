// Package config reads every setting from the environment, once, and validates it. It is the
// only package that reads the environment; a wrong or missing value stops the process with an
// error naming the variable.
package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"
)

// Config is the whole configuration of every binary.
type Config struct {
	DatabaseURL   string
	DatabaseConns int
	RedisURL      string
	HTTPAddr      string
	// OpsAddr is where the worker and the scheduler serve /healthz, /readyz and /metrics.
	OpsAddr   string
	BaseURL   string
	UIBaseURL string
	LogLevel  zapcore.Level
	LogJSON   bool

	// DatabasePrepared prepares statements once per connection (DATABASE_PREPARED_STATEMENTS).
	DatabasePrepared bool

	Auth       AuthConfig
	HTTP       HTTPConfig
	DeadLetter DeadLetterConfig

	DefaultPlatform       string
	DailyMigrationEnabled bool
	DailyMigrationRoomIDs []string
	Daily                 DailyConfig
	Whereby               WherebyConfig
	WebhookReplayWindow   time.Duration
	// WebhookHealthInterval paces the check that re-activates FAILED Daily webhooks.
	WebhookHealthInterval time.Duration

	Lifecycle LifecycleConfig
	Worker    WorkerConfig
	Calendar  CalendarConfig
	Recording RecordingConfig
	Web       WebConfig
	Ops       OpsConfig
}

// AuthConfig selects and configures authentication.
type AuthConfig struct {
	Backend      string // none | jwt
	JWTPublicKey string // PEM text (AUTH_JWT_PUBLIC_KEY may name a file holding it)
	JWTAudience  string
	JWTIssuer    string        // AUTH_JWT_ISSUER: when set, tokens must carry it as iss
	JWTLeeway    time.Duration // AUTH_JWT_LEEWAY: clock skew allowed on exp, nbf and iat
	LocalUserID  string        // the one user of the none backend
	LocalEmail   string
	// APIKeySecret is the HMAC key of stored API key hashes (SECRET_KEY, the original's name and
	// format, so keys imported from it keep working); empty refuses X-API-Key.
	APIKeySecret string
}

// DailyConfig configures the Daily client.
type DailyConfig struct {
	APIURL, APIKey, WebhookSecret, Subdomain string
	BucketName, BucketRegion, BucketRoleARN  string
}

// WherebyConfig configures the Whereby client.
type WherebyConfig struct {
	APIURL, APIKey, WebhookSecret                    string
	BucketName, BucketRegion, AccessKeyID, SecretKey string
}

// LifecycleConfig tunes the meeting lifecycle.
type LifecycleConfig struct {
	MeetingDuration         time.Duration
	IntentTTL               time.Duration
	PresenceLag             time.Duration
	ProcessMeetingsInterval time.Duration
	PresenceConcurrency     int
	CalendarForceClose      time.Duration
	// PresenceReconcileInterval paces presence:reconcile (PRESENCE_RECONCILE_INTERVAL; 0: off).
	PresenceReconcileInterval time.Duration
	// RoomSweepMargin (PROVIDER_ROOM_SWEEP_MARGIN) is the age past which an unowned provider
	// room is deleted; RoomSweepInterval (PROVIDER_ROOM_SWEEP_INTERVAL, 0: off) paces the sweep.
	RoomSweepMargin   time.Duration
	RoomSweepInterval time.Duration
}

// WorkerConfig tunes the asynq worker.
type WorkerConfig struct {
	Concurrency     int
	ShutdownTimeout time.Duration
}

// CalendarConfig tunes ICS sync.
type CalendarConfig struct {
	SyncTick        time.Duration
	MaxFeedBytes    int64
	FetchTimeout    time.Duration
	AllowPrivateIPs bool
}

// RecordingConfig configures recording ingestion and the transcription hand-off.
type RecordingConfig struct {
	SQSQueueURL        string
	SQSPollInterval    time.Duration
	AWSRegion          string
	AWSAccessKeyID     string
	AWSSecretAccessKey string
	S3EndpointURL      string
	SQSEndpointURL     string
	StorageBucket      string
	TranscriptionURL   string
	TranscriptionModel string
	TranscriptionKey   string
	// Lease (RECORDING_LEASE) is how long a recording or transcript waits on its task before
	// the lease sweep queues the task again.
	Lease time.Duration
}

// Configured reports which providers have credentials, in a stable order.
func (c *Config) Configured() []string {
	var out []string
	if c.Daily.APIKey != "" {
		out = append(out, "daily")
	}
	if c.Whereby.APIKey != "" {
		out = append(out, "whereby")
	}
	return out
}

// Load reads the configuration through getenv (os.Getenv in main, a map in tests) and
// requires everything the long-running processes need.
func Load(getenv func(string) string) (*Config, error) { return LoadFor(getenv, NeedAll) }

// LoadFor reads the configuration like Load but requires only the parts in needs: a CLI verb
// that reads the queue does not ask for DATABASE_URL or a provider key. Values that are set
// are still validated.
func LoadFor(getenv func(string) string, needs Need) (*Config, error) {
	r := reader{getenv: getenv}
	c := &Config{
		DatabaseURL:   r.str("DATABASE_URL", ""),
		DatabaseConns: r.integer("DATABASE_MAX_CONNS", 32),
		RedisURL:      r.str("REDIS_URL", ""),
		HTTPAddr:      r.str("HTTP_ADDR", ":1250"),
		OpsAddr:       r.str("OPS_ADDR", ":9090"),
		BaseURL:       r.str("BASE_URL", "http://localhost:1250"),
		UIBaseURL:     strings.TrimRight(r.str("UI_BASE_URL", "http://localhost:3000"), "/"),
		LogLevel:      r.level("LOG_LEVEL", zapcore.InfoLevel),
		LogJSON:       r.boolean("LOG_JSON", true),
		Auth: AuthConfig{
			Backend:      r.oneOf("AUTH_BACKEND", "none", "none", "jwt"),
			JWTPublicKey: r.str("AUTH_JWT_PUBLIC_KEY", ""),
			JWTAudience:  r.str("AUTH_JWT_AUDIENCE", ""),
			JWTIssuer:    r.str("AUTH_JWT_ISSUER", ""),
			JWTLeeway:    r.duration("AUTH_JWT_LEEWAY", time.Minute),
			LocalUserID:  r.str("AUTH_LOCAL_USER_ID", "local-user"),
			LocalEmail:   r.str("AUTH_LOCAL_EMAIL", "local@localhost"),
			APIKeySecret: r.str("SECRET_KEY", ""),
		},
		DefaultPlatform:       r.oneOf("DEFAULT_VIDEO_PLATFORM", "daily", "daily", "whereby"),
		DailyMigrationEnabled: r.boolean("DAILY_MIGRATION_ENABLED", false),
		DailyMigrationRoomIDs: r.list("DAILY_MIGRATION_ROOM_IDS"),
		Daily: DailyConfig{
			APIURL: r.url("DAILY_API_URL", "https://api.daily.co/v1"), APIKey: r.str("DAILY_API_KEY", ""),
			WebhookSecret: r.str("DAILY_WEBHOOK_SECRET", ""), Subdomain: r.str("DAILY_SUBDOMAIN", ""),
			BucketName: r.str("DAILYCO_STORAGE_AWS_BUCKET_NAME", ""), BucketRegion: r.str("DAILYCO_STORAGE_AWS_REGION", ""),
			BucketRoleARN: r.str("DAILYCO_STORAGE_AWS_ROLE_ARN", ""),
		},
		Whereby: WherebyConfig{
			APIURL: r.url("WHEREBY_API_URL", "https://api.whereby.dev/v1"), APIKey: r.str("WHEREBY_API_KEY", ""),
			WebhookSecret: r.str("WHEREBY_WEBHOOK_SECRET", ""),
			BucketName:    r.str("WHEREBY_STORAGE_AWS_BUCKET_NAME", ""), BucketRegion: r.str("WHEREBY_STORAGE_AWS_REGION", ""),
			AccessKeyID: r.str("WHEREBY_STORAGE_AWS_ACCESS_KEY_ID", ""), SecretKey: r.str("WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY", ""),
		},
		WebhookReplayWindow:   r.duration("WEBHOOK_REPLAY_WINDOW", 5*time.Minute),
		Ops:                   readOps(&r),
		WebhookHealthInterval: r.duration("WEBHOOK_HEALTH_INTERVAL", 5*time.Minute),
		Lifecycle: LifecycleConfig{
			MeetingDuration:           r.duration("MEETING_DURATION", 8*time.Hour),
			IntentTTL:                 r.duration("JOIN_INTENT_TTL", 30*time.Second),
			PresenceLag:               r.duration("PRESENCE_LAG_WINDOW", 20*time.Second),
			ProcessMeetingsInterval:   r.duration("PROCESS_MEETINGS_INTERVAL", 15*time.Second),
			PresenceConcurrency:       r.integer("PRESENCE_CONCURRENCY", 8),
			CalendarForceClose:        r.duration("CALENDAR_FORCE_CLOSE_AFTER", 30*time.Minute),
			PresenceReconcileInterval: r.duration("PRESENCE_RECONCILE_INTERVAL", 30*time.Second),
			RoomSweepMargin:           r.duration("PROVIDER_ROOM_SWEEP_MARGIN", 20*time.Minute),
			RoomSweepInterval:         r.duration("PROVIDER_ROOM_SWEEP_INTERVAL", 10*time.Minute),
		},
		Worker: WorkerConfig{
			Concurrency:     r.integer("WORKER_CONCURRENCY", 10),
			ShutdownTimeout: r.duration("WORKER_SHUTDOWN_TIMEOUT", 30*time.Second),
		},
		Calendar: CalendarConfig{
			SyncTick:        r.duration("ICS_SYNC_TICK", time.Minute),
			MaxFeedBytes:    int64(r.integer("ICS_MAX_FEED_BYTES", 5<<20)),
			FetchTimeout:    r.duration("ICS_FETCH_TIMEOUT", 15*time.Second),
			AllowPrivateIPs: r.boolean("ICS_ALLOW_PRIVATE_IPS", false),
		},
		Recording: RecordingConfig{
			SQSQueueURL:        r.str("AWS_PROCESS_RECORDING_QUEUE_URL", ""),
			SQSPollInterval:    r.duration("SQS_POLLING_INTERVAL", time.Minute),
			AWSRegion:          r.str("TRANSCRIPT_STORAGE_AWS_REGION", "us-east-1"),
			AWSAccessKeyID:     r.str("TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID", ""),
			AWSSecretAccessKey: r.str("TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY", ""),
			S3EndpointURL:      r.str("TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL", ""),
			SQSEndpointURL:     r.str("AWS_SQS_ENDPOINT_URL", ""),
			StorageBucket:      r.str("TRANSCRIPT_STORAGE_AWS_BUCKET_NAME", "reflector-bucket"),
			TranscriptionURL:   r.str("TRANSCRIPTION_URL", ""),
			TranscriptionModel: r.str("TRANSCRIPTION_MODEL", "whisper-1"),
			TranscriptionKey:   r.str("TRANSCRIPTION_API_KEY", ""),
			Lease:              r.duration("RECORDING_LEASE", 2*time.Minute),
		},
	}
	c.HTTP = loadHTTP(&r)
	c.DeadLetter = loadDeadLetter(&r)
	c.Web = loadWeb(&r)
	c.DatabasePrepared = r.boolean("DATABASE_PREPARED_STATEMENTS", true)
	if needs&NeedDatabase != 0 {
		r.required("DATABASE_URL", c.DatabaseURL)
	}
	if needs&NeedRedis != 0 {
		r.required("REDIS_URL", c.RedisURL)
	}
	c.validate(&r, needs)
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

func (c *Config) validate(r *reader, needs Need) {
	if c.Auth.Backend == "jwt" {
		r.required("AUTH_JWT_PUBLIC_KEY", c.Auth.JWTPublicKey)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres") {
		r.fail("DATABASE_URL", "must be a postgres:// URL")
	}
	if u, err := url.Parse(c.RedisURL); c.RedisURL != "" && (err != nil || (u.Scheme != "redis" && u.Scheme != "rediss")) {
		r.fail("REDIS_URL", "must be a redis:// URL")
	}
	if needs&NeedPlatform != 0 && !slices.Contains(c.Configured(), c.DefaultPlatform) {
		key := strings.ToUpper(c.DefaultPlatform) + "_API_KEY"
		r.fail(key, "required when DEFAULT_VIDEO_PLATFORM="+c.DefaultPlatform)
	}
	if c.Lifecycle.IntentTTL <= 0 || c.Lifecycle.PresenceLag <= 0 || c.Lifecycle.ProcessMeetingsInterval <= 0 {
		r.fail("JOIN_INTENT_TTL/PRESENCE_LAG_WINDOW/PROCESS_MEETINGS_INTERVAL", "must be positive")
	}
	if c.Lifecycle.RoomSweepMargin <= 0 {
		r.fail("PROVIDER_ROOM_SWEEP_MARGIN", "must be positive")
	}
	c.Recording.validate(r)
}

// Redacted lists the settings for the start-up log, secrets masked.
func (c *Config) Redacted() map[string]any {
	return map[string]any{
		"http_addr": c.HTTPAddr, "database_url": maskURL(c.DatabaseURL), "redis_url": maskURL(c.RedisURL),
		"auth_backend": c.Auth.Backend, "default_platform": c.DefaultPlatform, "configured_platforms": c.Configured(),
		"daily_api_url": c.Daily.APIURL, "daily_api_key": mask(c.Daily.APIKey), "daily_webhook_secret": mask(c.Daily.WebhookSecret), "secret_key": mask(c.Auth.APIKeySecret),
		"whereby_api_url": c.Whereby.APIURL, "whereby_api_key": mask(c.Whereby.APIKey),
		"whereby_webhook_secret": mask(c.Whereby.WebhookSecret), "ui_base_url": c.UIBaseURL,
		"process_meetings_interval": c.Lifecycle.ProcessMeetingsInterval.String(),
		"recording":                 c.Recording.redacted(),
		"web":                       c.Web.redacted(),
		"ops":                       c.Ops.redacted(),
	}
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return u.String()
}

// Error names the variable that is wrong.
type Error struct{ Var, Msg string }

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Var, e.Msg) }
