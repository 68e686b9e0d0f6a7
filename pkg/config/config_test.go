package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/monadical/reflector-go/pkg/config"
)

// minimal is the smallest environment Load accepts: the two stores and the default
// platform's key.
func minimal() map[string]string {
	return map[string]string{
		"DATABASE_URL":  "postgres://u@db:5432/reflector?sslmode=disable",
		"REDIS_URL":     "redis://redis:6379/0",
		"DAILY_API_KEY": "daily-key",
	}
}

// load runs Load on minimal() changed by set; an empty value unsets the variable.
func load(t *testing.T, set map[string]string) (*config.Config, error) {
	t.Helper()
	env := minimal()
	for k, v := range set {
		env[k] = v
	}
	return config.Load(func(k string) string { return env[k] })
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := load(t, nil)
	require.NoError(t, err)
	require.Equal(t, "postgres://u@db:5432/reflector?sslmode=disable", c.DatabaseURL)
	require.Equal(t, 32, c.DatabaseConns)
	require.True(t, c.DatabasePrepared)
	require.Equal(t, ":1250", c.HTTPAddr)
	require.Equal(t, "http://localhost:1250", c.BaseURL)
	require.Equal(t, "http://localhost:3000", c.UIBaseURL)
	require.Equal(t, zapcore.InfoLevel, c.LogLevel)
	require.True(t, c.LogJSON)
	require.Equal(t, config.AuthConfig{Backend: "none", LocalUserID: "local-user", LocalEmail: "local@localhost", JWTLeeway: time.Minute}, c.Auth)
	require.Equal(t, "daily", c.DefaultPlatform)
	require.False(t, c.DailyMigrationEnabled)
	require.Empty(t, c.DailyMigrationRoomIDs)
	require.Equal(t, "https://api.daily.co/v1", c.Daily.APIURL)
	require.Equal(t, "https://api.whereby.dev/v1", c.Whereby.APIURL)
	require.Equal(t, []string{"daily"}, c.Configured())
	require.Equal(t, 5*time.Minute, c.WebhookReplayWindow)
	require.Equal(t, config.LifecycleConfig{
		MeetingDuration: 8 * time.Hour, IntentTTL: 30 * time.Second, PresenceLag: 20 * time.Second,
		ProcessMeetingsInterval: 15 * time.Second, PresenceConcurrency: 8, CalendarForceClose: 30 * time.Minute,
		PresenceReconcileInterval: 30 * time.Second,
		RoomSweepMargin:           20 * time.Minute, RoomSweepInterval: 10 * time.Minute,
	}, c.Lifecycle)
	require.Equal(t, config.WorkerConfig{Concurrency: 10, ShutdownTimeout: 30 * time.Second}, c.Worker)
	require.Equal(t, config.CalendarConfig{SyncTick: time.Minute, MaxFeedBytes: 5 << 20, FetchTimeout: 15 * time.Second}, c.Calendar)
	require.Equal(t, time.Minute, c.Recording.SQSPollInterval)
	require.Equal(t, "us-east-1", c.Recording.AWSRegion)
	require.Equal(t, "reflector-bucket", c.Recording.StorageBucket)
	require.Equal(t, "whisper-1", c.Recording.TranscriptionModel)
}

func TestLoadParsesValues(t *testing.T) {
	t.Parallel()
	c, err := load(t, map[string]string{
		"DATABASE_MAX_CONNS":           " 7 ",
		"DATABASE_PREPARED_STATEMENTS": "false",
		"UI_BASE_URL":                  "https://app.example.com/",
		"DAILY_API_URL":                "http://127.0.0.1:1251/daily/v1/",
		"LOG_LEVEL":                    "warn",
		"LOG_JSON":                     "false",
		"AUTH_BACKEND":                 "jwt",
		"AUTH_JWT_PUBLIC_KEY":          "/etc/key.pem",
		"DEFAULT_VIDEO_PLATFORM":       "whereby",
		"WHEREBY_API_KEY":              "wb-key",
		"DAILY_MIGRATION_ENABLED":      "1",
		"DAILY_MIGRATION_ROOM_IDS":     " a, ,b ,",
		"JOIN_INTENT_TTL":              "45",   // plain seconds
		"MEETING_DURATION":             "90m",  // a Go duration
		"ICS_SYNC_TICK":                "   ",  // blank is unset
		"ICS_MAX_FEED_BYTES":           "1024", // int64 field
	})
	require.NoError(t, err)
	require.Equal(t, 7, c.DatabaseConns)
	require.False(t, c.DatabasePrepared)
	require.Equal(t, "https://app.example.com", c.UIBaseURL)
	require.Equal(t, "http://127.0.0.1:1251/daily/v1", c.Daily.APIURL)
	require.Equal(t, zapcore.WarnLevel, c.LogLevel)
	require.False(t, c.LogJSON)
	require.Equal(t, "jwt", c.Auth.Backend)
	require.Equal(t, "whereby", c.DefaultPlatform)
	require.Equal(t, []string{"daily", "whereby"}, c.Configured())
	require.True(t, c.DailyMigrationEnabled)
	require.Equal(t, []string{"a", "b"}, c.DailyMigrationRoomIDs)
	require.Equal(t, 45*time.Second, c.Lifecycle.IntentTTL)
	require.Equal(t, 90*time.Minute, c.Lifecycle.MeetingDuration)
	require.Equal(t, time.Minute, c.Calendar.SyncTick)
	require.Equal(t, int64(1024), c.Calendar.MaxFeedBytes)
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  map[string]string
		want string // the variable the error must name
	}{
		{"missing DATABASE_URL", map[string]string{"DATABASE_URL": ""}, "DATABASE_URL"},
		{"DATABASE_URL not postgres", map[string]string{"DATABASE_URL": "mysql://u@db/x"}, "DATABASE_URL"},
		{"missing REDIS_URL", map[string]string{"REDIS_URL": ""}, "REDIS_URL"},
		{"REDIS_URL not redis", map[string]string{"REDIS_URL": "http://redis:6379"}, "REDIS_URL"},
		{"bad AUTH_BACKEND", map[string]string{"AUTH_BACKEND": "ldap"}, "AUTH_BACKEND"},
		{"jwt without key", map[string]string{"AUTH_BACKEND": "jwt"}, "AUTH_JWT_PUBLIC_KEY"},
		{"bad DEFAULT_VIDEO_PLATFORM", map[string]string{"DEFAULT_VIDEO_PLATFORM": "zoom"}, "DEFAULT_VIDEO_PLATFORM"},
		{"daily default without key", map[string]string{"DAILY_API_KEY": ""}, "DAILY_API_KEY"},
		{"whereby default without key", map[string]string{"DEFAULT_VIDEO_PLATFORM": "whereby"}, "WHEREBY_API_KEY"},
		{"duration not a duration", map[string]string{"MEETING_DURATION": "soon"}, "MEETING_DURATION"},
		{"negative duration", map[string]string{"WEBHOOK_REPLAY_WINDOW": "-5s"}, "WEBHOOK_REPLAY_WINDOW"},
		{"duration without unit", map[string]string{"ICS_FETCH_TIMEOUT": "1.5"}, "ICS_FETCH_TIMEOUT"},
		{"zero intent ttl", map[string]string{"JOIN_INTENT_TTL": "0"}, "JOIN_INTENT_TTL"},
		{"zero sweep margin", map[string]string{"PROVIDER_ROOM_SWEEP_MARGIN": "0s"}, "PROVIDER_ROOM_SWEEP_MARGIN"},
		{"zero process interval", map[string]string{"PROCESS_MEETINGS_INTERVAL": "0s"}, "PROCESS_MEETINGS_INTERVAL"},
		{"int not a number", map[string]string{"DATABASE_MAX_CONNS": "many"}, "DATABASE_MAX_CONNS"},
		{"negative int", map[string]string{"WORKER_CONCURRENCY": "-1"}, "WORKER_CONCURRENCY"},
		{"int64 not a number", map[string]string{"ICS_MAX_FEED_BYTES": "5MB"}, "ICS_MAX_FEED_BYTES"},
		{"bool not a bool", map[string]string{"LOG_JSON": "yes"}, "LOG_JSON"},
		{"bool typo", map[string]string{"DAILY_MIGRATION_ENABLED": "ture"}, "DAILY_MIGRATION_ENABLED"},
		{"bad log level", map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"API URL without scheme", map[string]string{"DAILY_API_URL": "api.daily.co/v1"}, "DAILY_API_URL"},
		{"API URL not http", map[string]string{"WHEREBY_API_URL": "ftp://api.whereby.dev"}, "WHEREBY_API_URL"},
		{"API URL without host", map[string]string{"DAILY_API_URL": "http://"}, "DAILY_API_URL"},
		{"webhook attempts beyond one task's runs", map[string]string{"WEBHOOK_MAX_ATTEMPTS": "12"}, "WEBHOOK_MAX_ATTEMPTS"},
		{"zero webhook attempts", map[string]string{"WEBHOOK_MAX_ATTEMPTS": "0"}, "WEBHOOK_MAX_ATTEMPTS"},
		{"zero requeues", map[string]string{"SWEEP_MAX_REQUEUES": "0"}, "SWEEP_MAX_REQUEUES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := load(t, tt.set)
			require.Error(t, err)
			require.Nil(t, c)
			var cerr *config.Error
			require.True(t, errors.As(err, &cerr), "want *config.Error, got %T", err)
			require.Contains(t, cerr.Var, tt.want)
			require.True(t, strings.HasPrefix(err.Error(), cerr.Var+": "), "error %q must start with the variable", err)
			require.NotContains(t, err.Error(), "\n", "one line")
		})
	}
}

func TestRedactedMasksSecrets(t *testing.T) {
	t.Parallel()
	c, err := load(t, map[string]string{
		"DATABASE_URL":           "postgres://app:db-password@db:5432/reflector",
		"REDIS_URL":              "redis://:redis-password@redis:6379/0",
		"DAILY_API_KEY":          "daily-key-value",
		"DAILY_WEBHOOK_SECRET":   "daily-secret-value",
		"WHEREBY_API_KEY":        "whereby-key-value",
		"WHEREBY_WEBHOOK_SECRET": "whereby-secret-value",
	})
	require.NoError(t, err)
	red := c.Redacted()
	flat := strings.Join(flatten(red), " ")
	for _, secret := range []string{"db-password", "redis-password", "daily-key-value", "daily-secret-value",
		"whereby-key-value", "whereby-secret-value"} {
		require.NotContains(t, flat, secret)
	}
	require.Equal(t, "***", red["daily_api_key"])
	require.Equal(t, "***", red["whereby_webhook_secret"])
	require.Contains(t, red["database_url"], "app:")
	require.Contains(t, red["database_url"], "db:5432/reflector")

	t.Run("unset secrets stay empty", func(t *testing.T) {
		t.Parallel()
		c, err := load(t, nil)
		require.NoError(t, err)
		require.Empty(t, c.Redacted()["whereby_api_key"])
		require.Equal(t, "***", c.Redacted()["daily_api_key"])
	})
}

func flatten(m map[string]any) []string {
	var out []string
	for k, v := range m {
		if s, ok := v.(string); ok {
			out = append(out, k+"="+s)
		}
	}
	return out
}

func TestAuthPEM(t *testing.T) {
	t.Parallel()
	const pem = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"

	t.Run("inline PEM", func(t *testing.T) {
		t.Parallel()
		b, err := config.AuthConfig{JWTPublicKey: pem}.PEM()
		require.NoError(t, err)
		require.Equal(t, pem, string(b))
	})
	t.Run("file path", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "key.pem")
		require.NoError(t, os.WriteFile(path, []byte(pem), 0o600))
		b, err := config.AuthConfig{JWTPublicKey: path}.PEM()
		require.NoError(t, err)
		require.Equal(t, pem, string(b))
	})
	t.Run("missing file names the variable", func(t *testing.T) {
		t.Parallel()
		_, err := config.AuthConfig{JWTPublicKey: filepath.Join(t.TempDir(), "nope.pem")}.PEM()
		var cerr *config.Error
		require.ErrorAs(t, err, &cerr)
		require.Equal(t, "AUTH_JWT_PUBLIC_KEY", cerr.Var)
	})
}

// TestLoadForAsksOnlyWhatIsNeeded: a verb that needs Redis loads without DATABASE_URL or a
// provider key; values that are set are still checked.
func TestLoadForAsksOnlyWhatIsNeeded(t *testing.T) {
	t.Parallel()
	env := map[string]string{"REDIS_URL": "redis://redis:6379/0"}
	get := func(k string) string { return env[k] }
	c, err := config.LoadFor(get, config.NeedRedis)
	require.NoError(t, err)
	require.Equal(t, "redis://redis:6379/0", c.RedisURL)
	_, err = config.LoadFor(get, config.NeedDatabase)
	require.EqualError(t, err, "DATABASE_URL: required")
	_, err = config.LoadFor(get, config.NeedRedis|config.NeedPlatform)
	require.EqualError(t, err, "DAILY_API_KEY: required when DEFAULT_VIDEO_PLATFORM=daily")
	env["LOG_LEVEL"] = "loud"
	_, err = config.LoadFor(get, config.NeedNothing)
	require.ErrorContains(t, err, "LOG_LEVEL")
}
