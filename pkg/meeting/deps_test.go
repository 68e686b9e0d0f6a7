package meeting_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestServicesDoNotImportTransport keeps dependencies pointing inward: the services never see
// echo, asynq or sqlx (STYLE.md rule 2).
func TestServicesDoNotImportTransport(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"./", "../room", "../presence"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		require.NoError(t, err, string(out))
		for _, dep := range strings.Fields(string(out)) {
			for _, banned := range []string{"github.com/labstack/echo", "github.com/hibiken/asynq", "github.com/jmoiron/sqlx", "reflector-go/pkg/store", "reflector-go/pkg/httpapi", "reflector-go/pkg/tasks"} {
				require.NotContains(t, dep, banned, "%s imports %s", pkg, dep)
			}
		}
	}
}
