package deploy

import (
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// TestComposeHealthchecks: api, worker and scheduler have a healthcheck that runs the image's
// own reflectorctl (the image has no wget or curl) against the port the process listens on.
func TestComposeHealthchecks(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("compose.yaml")
	require.NoError(t, err)
	var c struct {
		Services map[string]struct {
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Healthcheck *struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &c)) // resolves the `<<: *app` merges
	processes := 0
	for name, s := range c.Services {
		if len(s.Command) == 0 {
			continue
		}
		want, ok := healthPort(t, s.Command[0], s.Environment)
		if !ok {
			continue
		}
		processes++
		require.NotNil(t, s.Healthcheck, "service %s has no healthcheck", name)
		test := s.Healthcheck.Test
		require.Len(t, test, 4, "service %s: [CMD reflectorctl healthcheck <url>]", name)
		require.Equal(t, []string{"CMD", "reflectorctl", "healthcheck"}, test[:3], "service %s: the image has no wget or curl", name)
		u, err := url.Parse(test[3])
		require.NoError(t, err)
		require.Contains(t, []string{"/healthz", "/readyz"}, u.Path, "service %s", name)
		require.Equal(t, strconv.Itoa(want), u.Port(), "service %s probes a port %s does not listen on", name, s.Command[0])
		require.False(t, strings.Contains(strings.Join(test, " "), "wget"), name)
	}
	require.Equal(t, 3, processes, "api, worker and scheduler")
}
