package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// preparedOn lists the statements prepared on the session that runs the query.
const preparedOn = `SELECT statement FROM pg_prepared_statements ORDER BY statement`

func TestPreparedStatementsOncePerConnection(t *testing.T) {
	t.Parallel()
	_, url := storetest.NewDBURL(t)
	ctx := context.Background()
	for _, prepared := range []bool{true, false} {
		db, err := store.OpenWith(ctx, url, 1, prepared)
		require.NoError(t, err)
		for range 3 {
			var n int
			require.NoError(t, db.GetContext(ctx, &n, `SELECT count(*) FROM room WHERE name = $1`, "x"))
		}
		var stmts []string
		require.NoError(t, db.SelectContext(ctx, &stmts, preparedOn))
		if prepared {
			require.Equal(t, []string{`SELECT count(*) FROM room WHERE name = $1`}, stmts, "one statement, prepared once")
		} else {
			require.Empty(t, stmts)
		}
		require.NoError(t, db.Close())
	}
}

// A migration that changes a prepared statement's result type makes Postgres refuse the cached
// plan once; the statement is dropped and the next call prepares it again.
func TestPreparedStatementSurvivesSchemaChange(t *testing.T) {
	t.Parallel()
	_, url := storetest.NewDBURL(t)
	ctx := context.Background()
	db, err := store.Open(ctx, url, 1)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.ExecContext(ctx, `CREATE TABLE t (a int)`)
	require.NoError(t, err)
	q := `SELECT * FROM t WHERE a = $1`
	var n []int
	require.NoError(t, db.SelectContext(ctx, &n, `SELECT a FROM t WHERE a = $1`, 1))
	rows, err := db.QueryxContext(ctx, q, 1)
	require.NoError(t, err)
	require.NoError(t, rows.Close())
	_, err = db.ExecContext(ctx, `ALTER TABLE t ADD COLUMN b int`)
	require.NoError(t, err)
	rows, err = db.QueryxContext(ctx, q, 1)
	if err == nil {
		_ = rows.Close()
	}
	rows, err = db.QueryxContext(ctx, q, 1)
	require.NoError(t, err, "prepared again after the stale plan was dropped")
	cols, err := rows.Columns()
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, cols)
	require.NoError(t, rows.Close())
}
