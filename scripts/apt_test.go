package scripts_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// aptCall is a line of a script that runs apt-get (not one that only names it in a message).
var aptCall = regexp.MustCompile(`^\s*(\w+=\S+\s+)*apt-get\s`)

// TestAptWaitsForTheLock: every apt-get a script runs waits for dpkg's lock, so two installs
// at once (tools.sh and redis.sh from two checkouts) wait for each other instead of failing
// with exit 100.
func TestAptWaitsForTheLock(t *testing.T) {
	t.Parallel()
	scripts, err := filepath.Glob("*.sh")
	require.NoError(t, err)
	calls := 0
	for _, name := range scripts {
		body, err := os.ReadFile(name)
		require.NoError(t, err)
		for i, line := range strings.Split(string(body), "\n") {
			if aptCall.MatchString(line) {
				calls++
				require.Contains(t, line, "-o DPkg::Lock::Timeout=", "%s:%d runs apt-get without waiting for the lock", name, i+1)
			}
		}
	}
	require.GreaterOrEqual(t, calls, 4, "tools.sh and redis.sh install with apt")
}
