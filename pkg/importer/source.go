package importer

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// AlembicHead is the original's last migration at v0.34.0, the schema this importer reads.
const AlembicHead = "623af934249a"

// sourceTables are the original's tables the import reads.
var sourceTables = []string{ //nolint:gochecknoglobals // constant list
	"user", "user_api_key", "room", "calendar_event", "meeting", "meeting_consent",
	"daily_participant_session", "recording", "transcript",
}

// checkSource refuses a database that lacks one of the tables, before anything is read.
func checkSource(ctx context.Context, src *sqlx.DB) error {
	for _, t := range sourceTables {
		var found bool
		if err := src.GetContext(ctx, &found, `SELECT to_regclass(quote_ident($1)) IS NOT NULL`, t); err != nil {
			return fmt.Errorf("import: source: %w", err)
		}
		if !found {
			return fmt.Errorf("import: source has no table %q: is it the database of a Reflector v0.34 install (alembic head %s)?", t, AlembicHead)
		}
	}
	return nil
}

// each reads a source table and maps its rows one by one, counted under our table's name.
func each[T any](ctx context.Context, r *run, table, query string, fn func(context.Context, *Counts, T) error) error {
	var rows []T
	if err := r.selectAll(ctx, table, &rows, query); err != nil {
		return err
	}
	c := r.rep.table(table)
	for i, row := range rows {
		c.Read++
		if err := fn(ctx, c, row); err != nil {
			return err
		}
		r.progress(table, i+1, len(rows))
	}
	return nil
}

// sourceNames are the original's names of our tables, where they differ: listed rows name the
// table they are found in.
var sourceNames = map[string]string{ //nolint:gochecknoglobals // constant
	"user_account": "user", "participant_session": "daily_participant_session",
}

func sourceName(table string) string {
	if n, ok := sourceNames[table]; ok {
		return n
	}
	return table
}

// selectAll reads a whole source table.
func (r *run) selectAll(ctx context.Context, table string, dest any, query string) error {
	if err := sqlx.SelectContext(ctx, r.src, dest, query); err != nil {
		return fmt.Errorf("read %s: %w", sourceName(table), err)
	}
	return nil
}
