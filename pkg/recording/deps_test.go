package recording_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoTransportImports keeps the service free of the transport and task layers: the task
// layer maps ErrPermanent to asynq.SkipRetry, not the service.
func TestNoTransportImports(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		parsed, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range parsed.Imports {
			for _, banned := range []string{"labstack/echo", "hibiken/asynq", "jmoiron/sqlx", "reflector-go/pkg/store"} {
				require.NotContains(t, imp.Path.Value, banned, "%s imports %s", f, imp.Path.Value)
			}
		}
	}
}
