package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/config"
)

// TestOpsSettings: SENTRY_DSN and HEALTHCHECK_URL are optional, masked in the start-up log,
// and a HEALTHCHECK_URL that is not an http(s) URL is refused without repeating it.
func TestOpsSettings(t *testing.T) {
	t.Parallel()
	env := map[string]string{"SENTRY_DSN": "https://key@sentry.example/1", "SENTRY_ENVIRONMENT": "prod",
		"HEALTHCHECK_URL": "https://hc-ping.example/secret-uuid"}
	c, err := config.LoadFor(func(k string) string { return env[k] }, config.NeedNothing)
	require.NoError(t, err)
	require.Equal(t, "https://hc-ping.example/secret-uuid", c.Ops.HealthcheckURL)
	require.Equal(t, "prod", c.Ops.SentryEnvironment)
	red := c.Redacted()["ops"].(map[string]any)
	require.Equal(t, "***", red["sentry_dsn"])
	require.Equal(t, "***", red["healthcheck_url"])

	env["HEALTHCHECK_URL"] = "hc-ping.example/secret-uuid"
	_, err = config.LoadFor(func(k string) string { return env[k] }, config.NeedNothing)
	require.ErrorContains(t, err, "HEALTHCHECK_URL: must be an http(s) URL")
	require.NotContains(t, err.Error(), "secret-uuid")
}
