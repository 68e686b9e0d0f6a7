// Package importer moves an original Reflector install's database (the Python back end, v0.34)
// into ours: users and API keys, rooms, calendar events, meetings, consents, participant
// sessions and recordings. It runs in one transaction on our side, is idempotent (a re-run
// writes nothing when the source has not changed), and lists every row it cannot map.
package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// ErrUnmappable aborts an import that met rows it cannot map (Report.Skipped), unless
// Options.SkipUnmappable.
var ErrUnmappable = errors.New("rows cannot be mapped")

// Options configure an import.
type Options struct {
	// DryRun runs the whole import and rolls it back: the report says what would change.
	DryRun bool
	// SkipUnmappable commits the rows that map and leaves the listed ones out.
	SkipUnmappable bool
	// Progress receives a line every ProgressEvery rows of a table (nil: no progress).
	Progress      io.Writer
	ProgressEvery int
	Now           func() time.Time
}

// run is one import: both transactions, the report and what was imported so far.
type run struct {
	opts Options
	src  *sqlx.Tx
	dst  *preparedTx
	rep  *Report
	// ids maps source ids to our ids, per table, for the rows written or already present.
	ids map[string]map[string]uuid.UUID
	// written holds the calendar events this run wrote, so linking them counts once.
	written map[uuid.UUID]bool
}

// Run imports src (the original's database) into dst. It returns the report and, on failure,
// an error naming the table and row; a failed import writes nothing.
func Run(ctx context.Context, src, dst *sqlx.DB, opts Options) (*Report, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 1000
	}
	r := &run{opts: opts, rep: &Report{DryRun: opts.DryRun}, ids: map[string]map[string]uuid.UUID{},
		written: map[uuid.UUID]bool{}}
	if err := checkSource(ctx, src); err != nil {
		return r.rep, err
	}
	// A repeatable-read snapshot, so rows that reference each other are read consistently.
	stx, err := src.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return r.rep, fmt.Errorf("import: source: %w", err)
	}
	defer func() { _ = stx.Rollback() }()
	dtx, err := dst.BeginTxx(ctx, nil)
	if err != nil {
		return r.rep, fmt.Errorf("import: target: %w", err)
	}
	defer func() { _ = dtx.Rollback() }()
	r.src, r.dst = stx, &preparedTx{Tx: dtx, stmts: map[string]*sqlx.Stmt{}}
	if err := r.steps(ctx); err != nil {
		return r.rep, fmt.Errorf("import: %w (rolled back, nothing written)", err)
	}
	if len(r.rep.Skipped) > 0 && !opts.SkipUnmappable {
		return r.rep, fmt.Errorf("import: %d %w (listed above); rolled back, nothing written: fix them in the original or pass --skip-unmappable",
			len(r.rep.Skipped), ErrUnmappable)
	}
	if opts.DryRun {
		return r.rep, nil
	}
	if err := dtx.Commit(); err != nil {
		return r.rep, fmt.Errorf("import: commit: %w", err)
	}
	r.rep.Committed = true
	return r.rep, nil
}

func (r *run) steps(ctx context.Context) error {
	for _, step := range []func(context.Context) error{
		r.users, r.apiKeys, r.rooms, r.calendarEvents, r.meetings, r.eventMeetings,
		r.consents, r.sessions, r.recordings, r.transcripts,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// progress reports every ProgressEvery rows and at the end of a long table.
func (r *run) progress(table string, done, total int) {
	if r.opts.Progress == nil || total < r.opts.ProgressEvery {
		return
	}
	if done%r.opts.ProgressEvery == 0 || done == total {
		fmt.Fprintf(r.opts.Progress, "%s: %d/%d\n", table, done, total)
	}
}

// imported records that the source row id of table is our row to.
func (r *run) imported(table, from string, to uuid.UUID) {
	m := r.ids[table]
	if m == nil {
		m = map[string]uuid.UUID{}
		r.ids[table] = m
	}
	m[from] = to
}

// lookup returns our id of an imported source row.
func (r *run) lookup(table, from string) (uuid.UUID, bool) {
	id, ok := r.ids[table][from]
	return id, ok
}

// namespace derives ids for source ids that are not uuids (Whereby's meeting ids are numbers):
// the same source id always maps to the same uuid, so a re-run finds its rows.
var namespace = uuid.MustParse("7d1f6a52-2c43-4f0e-9b7a-5e0c3c1d9a10") //nolint:gochecknoglobals // constant

// idFor keeps a uuid id and derives one from any other id, noting it.
func (r *run) idFor(table, id string) uuid.UUID {
	if u, err := uuid.Parse(id); err == nil && len(id) == 36 {
		return u
	}
	u := uuid.NewSHA1(namespace, []byte(table+":"+id))
	r.rep.note(table, id, "id is not a uuid: imported as %s", u)
	return u
}
