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

// selectAll reads a whole source table.
func (r *run) selectAll(ctx context.Context, table string, dest any, query string) error {
	if err := sqlx.SelectContext(ctx, r.src, dest, query); err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	return nil
}
