package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/store/storetest"
)

func TestImportReflectorCommand(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile("../../pkg/importer/testdata/reflector_v034.sql")
	require.NoError(t, err)
	src, srcURL := storetest.NewEmptyDBURL(t)
	_, err = src.Exec(string(fixture))
	require.NoError(t, err)
	dst, dstURL := storetest.NewDBURL(t)
	env := map[string]string{"DATABASE_URL": dstURL, "SECRET_KEY": "k"}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		a := &app{getenv: func(k string) string { return env[k] }, out: &out, errw: &out}
		cmd := a.root()
		cmd.SetArgs(args)
		err := cmd.ExecuteContext(context.Background())
		return out.String(), err
	}

	out, err := run("import", "reflector", "--from", srcURL, "--dry-run")
	require.NoError(t, err, out)
	require.Contains(t, out, "dry run: 28 rows would change, nothing was written")
	out, err = run("import", "reflector", "--from", srcURL)
	require.NoError(t, err, out)
	require.Contains(t, out, "meeting              read=7 inserted=7")
	require.Contains(t, out, "28 rows written")
	out, err = run("import", "reflector", "--from", srcURL)
	require.NoError(t, err, out)
	require.Contains(t, out, "nothing to change: the import is up to date")

	_, err = run("import", "reflector")
	require.ErrorContains(t, err, "--from is required")

	out, err = run("apikey", "create", "a11ce000-0000-4000-8000-000000000001", "--name", "ci")
	require.NoError(t, err, out)
	require.Contains(t, out, "key=")
	var n int
	require.NoError(t, dst.Get(&n, `SELECT count(*) FROM user_api_key WHERE name = 'ci'`))
	require.Equal(t, 1, n)
}
