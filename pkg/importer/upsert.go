package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// target describes how one of our tables is written. Cols mirror the source and are compared
// and overwritten on a re-run; Once columns are ours to own after the first import (set on
// insert, kept afterwards unless their Keep expression says otherwise).
type target struct {
	table string
	cols  []string
	once  []string
	// keep maps a once column to its SET expression on update, e.g. COALESCE(t.c, EXCLUDED.c).
	keep map[string]string
	sql  string
}

func newTarget(table string, cols, once []string, keep map[string]string) *target {
	t := &target{table: table, cols: cols, once: once, keep: keep}
	all := append(append([]string{"id"}, cols...), once...)
	ph := make([]string, len(all))
	for i := range all {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	set := make([]string, 0, len(cols)+len(keep))
	mine := make([]string, len(cols))
	theirs := make([]string, len(cols))
	for i, c := range cols {
		set = append(set, fmt.Sprintf("%s = EXCLUDED.%s", c, c))
		mine[i], theirs[i] = table+"."+c, "EXCLUDED."+c
	}
	for _, c := range once {
		if e, ok := keep[c]; ok {
			set = append(set, c+" = "+e)
		}
	}
	// The WHERE keeps an unchanged row untouched (same xmin), which is what makes a re-run
	// write nothing; RETURNING tells an insert (xmax = 0) from an update.
	t.sql = fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s
		WHERE (%s) IS DISTINCT FROM (%s) RETURNING (xmax = 0)`, table, strings.Join(all, ", "),
		strings.Join(ph, ", "), strings.Join(set, ", "), strings.Join(mine, ", "), strings.Join(theirs, ", "))
	return t
}

// preparedTx is the import's transaction on our side with each statement prepared once: the
// same few statements run for every row, and planning them anew took most of a large import.
type preparedTx struct {
	*sqlx.Tx
	stmts map[string]*sqlx.Stmt
}

func (p *preparedTx) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.PreparexContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	p.stmts[query] = st
	return st, nil
}

// upsert writes one row: id, then the values of cols, then of once. It reports whether the
// row was written.
func (t *target) upsert(ctx context.Context, tx *preparedTx, c *Counts, args ...any) (bool, error) {
	st, err := tx.stmt(ctx, t.sql)
	if err != nil {
		return false, err
	}
	var inserted bool
	err = st.QueryRowxContext(ctx, args...).Scan(&inserted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		c.Unchanged++
		return false, nil
	case err != nil:
		return false, fmt.Errorf("write %s %v: %w", t.table, args[0], err)
	case inserted:
		c.Inserted++
	default:
		c.Updated++
	}
	return true, nil
}

// write is upsert for callers that only need the error.
func (t *target) write(ctx context.Context, tx *preparedTx, c *Counts, args ...any) error {
	_, err := t.upsert(ctx, tx, c, args...)
	return err
}

// splitCols turns a column list written for SQL into names.
func splitCols(cols string) []string {
	out := strings.Split(cols, ",")
	for i, c := range out {
		out[i] = strings.TrimSpace(c)
	}
	return out
}
