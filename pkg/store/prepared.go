package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// stmtCacheSize bounds the prepared statements kept per connection; the least recently used
// one is closed when a new one would exceed it. The service has well under 200 distinct
// parameterised statements, so in practice nothing is evicted.
const stmtCacheSize = 256

// preparedConnector opens lib/pq connections that prepare every parameterised statement once
// per connection and reuse it. lib/pq otherwise sends each parameterised query as an unnamed
// statement (parse, describe, bind, execute in two round trips), so Postgres plans it again
// on every call; measured on the join statement, planning is ~90% of its server time. A
// statement without arguments (migrations, multi-statement scripts) keeps the simple protocol.
type preparedConnector struct{ pq *pq.Connector }

// Connect implements driver.Connector.
func (c preparedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.pq.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &preparedConn{Conn: cn, stmts: map[string]*list.Element{}, lru: list.New()}, nil
}

// Driver implements driver.Connector.
func (c preparedConnector) Driver() driver.Driver { return c.pq.Driver() }

// preparedConn wraps one lib/pq connection with its statement cache. database/sql hands a
// connection to one goroutine at a time, so the cache needs no lock.
type preparedConn struct {
	driver.Conn
	stmts map[string]*list.Element // query text → element of lru holding a *cachedStmt
	lru   *list.List               // front: most recently used
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
}

// The optional interfaces database/sql looks for; lib/pq's connection has them all.
var (
	_ driver.ConnBeginTx        = (*preparedConn)(nil)
	_ driver.ConnPrepareContext = (*preparedConn)(nil)
	_ driver.QueryerContext     = (*preparedConn)(nil)
	_ driver.ExecerContext      = (*preparedConn)(nil)
	_ driver.Pinger             = (*preparedConn)(nil)
	_ driver.SessionResetter    = (*preparedConn)(nil)
	_ driver.Validator          = (*preparedConn)(nil)
	_ driver.NamedValueChecker  = (*preparedConn)(nil)
)

// BeginTx implements driver.ConnBeginTx.
func (c *preparedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// PrepareContext implements driver.ConnPrepareContext (an explicit Prepare is not cached).
func (c *preparedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// Ping implements driver.Pinger.
func (c *preparedConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

// ResetSession implements driver.SessionResetter.
func (c *preparedConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

// IsValid implements driver.Validator.
func (c *preparedConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// CheckNamedValue implements driver.NamedValueChecker (pq.Array and friends).
func (c *preparedConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

// QueryContext runs a parameterised query on its prepared statement.
func (c *preparedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) == 0 {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	c.dropIfStale(query, err)
	return rows, err
}

// ExecContext runs a parameterised statement on its prepared statement.
func (c *preparedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) == 0 {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	c.dropIfStale(query, err)
	return res, err
}

// stmt returns the connection's prepared statement of query, preparing it on first use.
func (c *preparedConn) stmt(ctx context.Context, query string) (driver.Stmt, error) {
	if e, ok := c.stmts[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*cachedStmt).stmt, nil
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = c.lru.PushFront(&cachedStmt{query: query, stmt: st})
	if c.lru.Len() > stmtCacheSize {
		c.evict(c.lru.Back())
	}
	return st, nil
}

func (c *preparedConn) evict(e *list.Element) {
	cs := e.Value.(*cachedStmt)
	c.lru.Remove(e)
	delete(c.stmts, cs.query)
	_ = cs.stmt.Close()
}

// dropIfStale forgets a statement Postgres no longer accepts as prepared: its plan's result
// type changed under a migration (0A000 "cached plan must not change result type") or the
// server lost it (26000, e.g. a pooler that reset the session). The next call prepares again.
func (c *preparedConn) dropIfStale(query string, err error) {
	var pe *pq.Error
	if err == nil || !errors.As(err, &pe) || (pe.Code != "0A000" && pe.Code != "26000") {
		return
	}
	if e, ok := c.stmts[query]; ok {
		c.evict(e)
	}
}

// Close closes the connection (its prepared statements go with it).
func (c *preparedConn) Close() error {
	if err := c.Conn.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}
