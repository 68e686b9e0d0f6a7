package store

import (
	"database/sql"
	"errors"

	"github.com/lib/pq"
)

// Postgres error codes the store maps to domain errors.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgCheckViolation      = "23514"
)

// ErrNotFound is returned when a row looked up does not exist; adapters translate it to the
// consumer's own not-found error where the consumer declares one.
var ErrNotFound = errors.New("store: not found")

// pgCode returns the SQLSTATE of err, or "".
func pgCode(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	return ""
}

// constraint returns the constraint name a Postgres error names, or "".
func constraint(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Constraint
	}
	return ""
}

// isNoRows reports whether err means the query returned no row.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
