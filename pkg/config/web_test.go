package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWebConfig(t *testing.T) {
	t.Parallel()
	c, err := load(t, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"*"}, c.Web.CORSOrigins)
	require.False(t, c.Web.CORSAllowCredentials)
	require.Empty(t, c.Web.UpstreamAPIURL)

	c, err = load(t, map[string]string{"CORS_ORIGIN": "https://a.example.com, https://b.example.com",
		"CORS_ALLOW_CREDENTIALS": "true", "UPSTREAM_API_URL": "http://py:1250/"})
	require.NoError(t, err)
	require.Equal(t, []string{"https://a.example.com", "https://b.example.com"}, c.Web.CORSOrigins)
	require.True(t, c.Web.CORSAllowCredentials)
	require.Equal(t, "http://py:1250", c.Web.UpstreamAPIURL)

	_, err = load(t, map[string]string{"UPSTREAM_API_URL": "py:1250"})
	require.ErrorContains(t, err, "UPSTREAM_API_URL")
	_, err = load(t, map[string]string{"CORS_ALLOW_CREDENTIALS": "maybe"})
	require.ErrorContains(t, err, "CORS_ALLOW_CREDENTIALS")
}
