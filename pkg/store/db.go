// Package store is the Postgres access layer: every SQL statement of the service lives here.
// Each consumer package declares the store interface it needs; this package implements one
// small adapter per consumer on a shared sqlx.ExtContext, so the same code runs on the pool or
// inside a transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Open connects to Postgres, with prepared statements, and checks the connection.
func Open(ctx context.Context, url string, maxConns int) (*sqlx.DB, error) {
	return OpenWith(ctx, url, maxConns, true)
}

// OpenWith is Open with prepared (DATABASE_PREPARED_STATEMENTS) chosen: it prepares each
// parameterised statement once per connection (see preparedConnector); turn it off behind a
// transaction-pooling PgBouncer older than 1.21.
func OpenWith(ctx context.Context, url string, maxConns int, prepared bool) (*sqlx.DB, error) {
	db, err := Pool(url, prepared)
	if err != nil {
		return nil, fmt.Errorf("store.Open: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store.Open: ping: %w", err)
	}
	return db, nil
}

// Pool returns a connection pool on url without connecting yet.
func Pool(url string, prepared bool) (*sqlx.DB, error) {
	if !prepared {
		return sqlx.Open("postgres", url)
	}
	c, err := pq.NewConnector(url)
	if err != nil {
		return nil, err
	}
	return sqlx.NewDb(sql.OpenDB(preparedConnector{pq: c}), "postgres"), nil
}

// ErrNestedTx is returned when InTx is called on an adapter already bound to a transaction.
var ErrNestedTx = errors.New("store: nested transaction")

// transact runs fn in a transaction: rolled back if fn fails or panics, committed otherwise.
func transact(ctx context.Context, db *sqlx.DB, fn func(*sqlx.Tx) error) (err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// base is embedded by every adapter: the pool for starting transactions and the handle
// queries run on (the pool, or the transaction inside InTx).
type base struct {
	db *sqlx.DB
	q  sqlx.ExtContext
}

func newBase(db *sqlx.DB) base { return base{db: db, q: db} }

// inTx binds a copy of the adapter to a new transaction and runs fn with it.
func (b base) inTx(ctx context.Context, fn func(base) error) error {
	if _, nested := b.q.(*sqlx.Tx); nested {
		return ErrNestedTx
	}
	return transact(ctx, b.db, func(tx *sqlx.Tx) error { return fn(base{db: b.db, q: tx}) })
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
