package migrate_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/lib/pq" // the "postgres" driver
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/migrate"
)

// coreTables are the tables the foundation schema must create (the list).
var coreTables = []string{ //nolint:gochecknoglobals // read-only test table
	"room", "meeting", "meeting_consent", "calendar_event", "recording", "transcript",
	"participant_session", "join_intent", "webhook_event",
}

type testBundle struct {
	url string  // the empty database the migrations run on
	db  *sql.DB // a pool on it, for inspecting the schema
}

// setup creates an empty database (not a template clone: the point is to run the migrations
// from nothing) and drops it when the test ends, unless the test failed.
func setup(t *testing.T) *testBundle {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	require.NotEmpty(t, admin, "TEST_DATABASE_URL is not set: run the tests with `make test`, which starts Postgres")
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "m_" + hex.EncodeToString(b)

	adm, err := sql.Open("postgres", admin)
	require.NoError(t, err)
	t.Cleanup(func() { _ = adm.Close() })
	_, err = adm.Exec("CREATE DATABASE " + name)
	require.NoError(t, err)

	u, err := url.Parse(admin)
	require.NoError(t, err)
	u.Path = "/" + name
	db, err := sql.Open("postgres", u.String())
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = db.Close()
		if t.Failed() {
			t.Logf("kept database %s for inspection", u.String())
			return
		}
		_, _ = adm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return &testBundle{url: u.String(), db: db}
}

func (b *testBundle) tables(t *testing.T) []string {
	t.Helper()
	rows, err := b.db.Query(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' ORDER BY table_name`)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		out = append(out, n)
	}
	require.NoError(t, rows.Err())
	return out
}

func (b *testBundle) requireLatest(t *testing.T) {
	t.Helper()
	st, err := migrate.GetStatus(b.url)
	require.NoError(t, err)
	require.False(t, st.Dirty)
	require.NotZero(t, st.Latest)
	require.Equal(t, st.Latest, st.Version)
	tables := b.tables(t)
	for _, name := range coreTables {
		require.Contains(t, tables, name)
	}
}

func (b *testBundle) requireEmpty(t *testing.T) {
	t.Helper()
	st, err := migrate.GetStatus(b.url)
	require.NoError(t, err)
	require.False(t, st.Dirty)
	require.Zero(t, st.Version)
	require.Equal(t, []string{"schema_migrations"}, b.tables(t))
}

func TestUpDownUp(t *testing.T) {
	t.Parallel()
	b := setup(t)

	st, err := migrate.GetStatus(b.url)
	require.NoError(t, err)
	require.Zero(t, st.Version, "a new database starts at version 0")

	require.NoError(t, migrate.Up(b.url))
	b.requireLatest(t)

	require.NoError(t, migrate.Up(b.url), "up on a migrated database is a no-op")
	b.requireLatest(t)

	require.NoError(t, migrate.Down(b.url, 0))
	b.requireEmpty(t)

	require.NoError(t, migrate.Down(b.url, 0), "down on an empty database is a no-op")
	b.requireEmpty(t)

	require.NoError(t, migrate.Up(b.url), "the schema comes back after a full down")
	b.requireLatest(t)
}

func TestDownSteps(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, migrate.Up(b.url))
	latest, err := migrate.GetStatus(b.url)
	require.NoError(t, err)

	// Walk the chain down one step at a time: every down file must apply on top of the
	// migrations below it, not only as part of a full teardown.
	for v := latest.Latest; v > 0; {
		require.NoError(t, migrate.Down(b.url, 1))
		st, err := migrate.GetStatus(b.url)
		require.NoError(t, err)
		require.False(t, st.Dirty)
		require.Less(t, st.Version, v)
		v = st.Version
	}
	b.requireEmpty(t)

	require.NoError(t, migrate.Up(b.url))
	b.requireLatest(t)
}
