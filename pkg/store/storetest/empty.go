package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jmoiron/sqlx"
)

// NewEmptyDBURL returns a pool on, and the URL of, a fresh database with no schema at all, for
// tests that load another schema (e.g. the original Reflector's, for the importer). Like a
// clone, it is dropped when the test passes and kept when it fails.
func NewEmptyDBURL(t testing.TB) (*sqlx.DB, string) {
	t.Helper()
	tpl, err := tplOnce()
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	name := "t_empty_" + randHex(4)
	admin, err := sql.Open("postgres", tpl.admin)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatalf("storetest: create %s: %v", name, err)
	}
	dbURL := withDB(tpl.admin, name)
	pool, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	pool.SetMaxOpenConns(4)
	t.Cleanup(func() {
		_ = pool.Close()
		if t.Failed() {
			t.Logf("storetest: kept database %s for inspection", dbURL)
			return
		}
		dropDB(tpl.admin, name)
	})
	return pool, dbURL
}
