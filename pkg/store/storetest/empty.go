package storetest

import (
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
	createDB(t, tpl.admin, name, "template0")
	return attach(t, tpl.admin, name, 4)
}
