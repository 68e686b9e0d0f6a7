// Package storetest gives each test its own Postgres database, cloned from a template that has
// every migration applied (peterldowns/pgtestdb's recipe). Clones cost ~60 ms, so tests run in
// parallel and leave nothing behind; a failed test keeps its database for inspection.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the "postgres" driver

	"github.com/monadical/reflector-go/db"
	"github.com/monadical/reflector-go/pkg/migrate"
	"github.com/monadical/reflector-go/pkg/store"
)

// EnvURL names the variable holding the admin URL of the test cluster; `make test` sets it.
const EnvURL = "TEST_DATABASE_URL"

type template struct {
	admin string // URL of the maintenance database
	name  string
}

// The template is built once per test binary; packages are separate processes, so the build
// itself is also serialised across processes with an advisory lock.
var tplOnce = sync.OnceValues(buildTemplate) //nolint:gochecknoglobals // per-process cache

// NewDB returns a pool on a fresh database cloned from the migrated template.
func NewDB(t testing.TB) *sqlx.DB {
	t.Helper()
	db, _ := NewDBURL(t)
	return db
}

// NewDBURL is NewDB that also returns the database URL, for code that opens its own pool.
func NewDBURL(t testing.TB) (*sqlx.DB, string) {
	t.Helper()
	tpl, err := tplOnce()
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	name := fmt.Sprintf("t_%s_%s", tpl.name[4:12], randHex(4))
	createDB(t, tpl.admin, name, tpl.name)
	return attach(t, tpl.admin, name, 8)
}

// createDB creates the test database name as a copy of template.
func createDB(t testing.TB, admin, name, template string) {
	t.Helper()
	adm, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer adm.Close()
	if _, err := adm.ExecContext(context.Background(), fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		t.Fatalf("storetest: create %s from %s: %v", name, template, err)
	}
}

// attach opens a pool on the test database name; it is dropped when the test passes and kept
// (its URL logged) when it fails.
func attach(t testing.TB, admin, name string, maxConns int) (*sqlx.DB, string) {
	t.Helper()
	dbURL := withDB(admin, name)
	pool, err := store.Pool(dbURL, true) // as in production (DATABASE_PREPARED_STATEMENTS)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	pool.SetMaxOpenConns(maxConns)
	t.Cleanup(func() {
		_ = pool.Close()
		if t.Failed() {
			t.Logf("storetest: kept database %s for inspection", dbURL)
			return
		}
		dropDB(admin, name)
	})
	return pool, dbURL
}

// NewTx returns a transaction rolled back when the test ends: the cheapest isolation, for
// single-connection store tests that never commit.
func NewTx(t testing.TB, db *sqlx.DB) *sqlx.Tx {
	t.Helper()
	tx, err := db.BeginTxx(context.Background(), nil)
	if err != nil {
		t.Fatalf("storetest: begin: %v", err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	return tx
}

func buildTemplate() (template, error) {
	admin := os.Getenv(EnvURL)
	if admin == "" {
		return template{}, fmt.Errorf("%s is not set: run the tests with `make test`, which starts Postgres", EnvURL)
	}
	hash, err := migrationsHash()
	if err != nil {
		return template{}, err
	}
	tpl := template{admin: admin, name: "tpl_" + hash}
	ctx := context.Background()
	adm, err := sql.Open("postgres", admin)
	if err != nil {
		return tpl, err
	}
	defer adm.Close()
	conn, err := adm.Conn(ctx)
	if err != nil {
		return tpl, fmt.Errorf("connect %s: %w", EnvURL, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(hashtext($1))", tpl.name); err != nil {
		return tpl, err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(hashtext($1))", tpl.name) //nolint:errcheck // the lock also ends with the session
	sweep(ctx, conn, tpl.name)
	// Stamp the template as used now: other checkouts sharing this cluster (branches with other
	// migrations) sweep only templates nobody has used for hours.
	_, _ = conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS 'used %d'", tpl.name, time.Now().Unix()))
	var ready bool
	err = conn.QueryRowContext(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", tpl.name).Scan(&ready)
	if err == nil && ready {
		return tpl, nil
	}
	_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+tpl.name+" WITH (FORCE)")
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+tpl.name); err != nil {
		return tpl, fmt.Errorf("create template: %w", err)
	}
	// migrate.Up closes its connection before returning: a clone fails while any session is
	// connected to the template.
	if err := migrate.Up(withDB(admin, tpl.name)); err != nil {
		return tpl, fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "UPDATE pg_database SET datistemplate = true WHERE datname = $1", tpl.name); err != nil {
		return tpl, err
	}
	_, _ = conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS 'used %d'", tpl.name, time.Now().Unix()))
	return tpl, nil
}

// staleTemplateAge is how long a template of another migration set must have gone unused before
// the sweep drops it: a concurrent checkout on another branch may still be cloning it.
const staleTemplateAge = 6 * time.Hour

// sweep drops templates of other migration sets that nobody has used for staleTemplateAge.
func sweep(ctx context.Context, conn *sql.Conn, current string) {
	rows, err := conn.QueryContext(ctx, `SELECT datname FROM pg_database
		WHERE datname LIKE 'tpl\_%' AND datname <> $1
		AND coalesce(substring(shobj_description(oid, 'pg_database') FROM '^used ([0-9]+)$')::bigint, 0) < $2`,
		current, time.Now().Add(-staleTemplateAge).Unix())
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			stale = append(stale, n)
		}
	}
	_ = rows.Close()
	for _, n := range stale {
		_, _ = conn.ExecContext(ctx, "ALTER DATABASE "+n+" IS_TEMPLATE false")
		_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)")
	}
}

func dropDB(admin, name string) {
	adm, err := sql.Open("postgres", admin)
	if err != nil {
		return
	}
	defer adm.Close()
	_, _ = adm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
}

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(db.Migrations, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(db.Migrations, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

func withDB(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + name
	return u.String()
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
