package storetest_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/migrate"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// insertRoom writes a minimal room row. Raw SQL on purpose: this tests the test database,
// not the store.
func insertRoom(ctx context.Context, q sqlx.ExecerContext, name string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO room (id, name, user_id, platform) VALUES ($1, $2, 'u', 'daily')`,
		uuid.New(), name)
	return err
}

func countRooms(t *testing.T, q sqlx.QueryerContext, name string) int {
	t.Helper()
	var n int
	require.NoError(t, sqlx.GetContext(context.Background(), q, &n, `SELECT count(*) FROM room WHERE name = $1`, name))
	return n
}

func TestNewDBIsolatesParallelTests(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		names = map[string]bool{}
	)
	// Subtests run after this function returns; the check waits for both of them.
	t.Cleanup(func() {
		require.Len(t, names, 2, "each test gets a database of its own")
	})
	for _, sub := range []string{"first", "second"} {
		t.Run(sub, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.NewDB(t)

			// The room name is unique per database: the same name in the other test's
			// database does not conflict.
			require.NoError(t, insertRoom(ctx, db, "same-name"))
			require.Equal(t, 1, countRooms(t, db, "same-name"))

			// The clone carries the real schema, constraints included.
			err := insertRoom(ctx, db, "same-name")
			var pqErr *pq.Error
			require.True(t, errors.As(err, &pqErr), "want a pq error, got %v", err)
			require.Equal(t, pqerror.Code("23505"), pqErr.Code)

			var name string
			require.NoError(t, db.GetContext(ctx, &name, "SELECT current_database()"))
			mu.Lock()
			names[name] = true
			mu.Unlock()
		})
	}
}

func TestNewDBIsMigrated(t *testing.T) {
	t.Parallel()
	_, url := storetest.NewDBURL(t)
	st, err := migrate.GetStatus(url)
	require.NoError(t, err)
	require.False(t, st.Dirty)
	require.Equal(t, st.Latest, st.Version)
}

func TestNewDBDroppedAfterPassingTest(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("uses a database", func(t *testing.T) {
		db := storetest.NewDB(t)
		require.NoError(t, db.Get(&name, "SELECT current_database()"))
	})
	admin, err := sqlx.Open("postgres", os.Getenv(storetest.EnvURL))
	require.NoError(t, err)
	defer admin.Close()
	var n int
	require.NoError(t, admin.Get(&n, "SELECT count(*) FROM pg_database WHERE datname = $1", name))
	require.Zero(t, n, "database %s should be dropped once its test passed", name)
}

func TestNewTxRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.NewDB(t)

	t.Run("writes inside the transaction", func(t *testing.T) {
		tx := storetest.NewTx(t, db)
		require.NoError(t, insertRoom(ctx, tx, "in-tx"))
		require.Equal(t, 1, countRooms(t, tx, "in-tx"), "visible inside the transaction")
		require.Equal(t, 0, countRooms(t, db, "in-tx"), "invisible outside: never committed")
	})

	require.Equal(t, 0, countRooms(t, db, "in-tx"), "rolled back when the test ended")
	require.NoError(t, insertRoom(ctx, db, "in-tx"), "the name is free again")
}
