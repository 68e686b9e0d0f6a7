package importer

import (
	"fmt"
	"io"
)

// Counts are one table's results. Unchanged rows were already imported as they are; Skipped
// rows could not be mapped (listed in Report.Skipped).
type Counts struct {
	Table     string
	Read      int
	Inserted  int
	Updated   int
	Unchanged int
	Skipped   int
}

// Problem is one source row that was skipped or adjusted, with the reason; Table is the
// original's name of the table.
type Problem struct {
	Table  string
	ID     string
	Reason string
}

// Report is what an import did, or would do with DryRun.
type Report struct {
	DryRun bool
	// Committed is set once the import's transaction committed.
	Committed bool
	Tables    []*Counts
	// Skipped rows could not be mapped; unless Options.SkipUnmappable, any of them aborts.
	Skipped []Problem
	// Notes are rows imported with an adjustment worth knowing (a new id, a merged duplicate).
	Notes []Problem
	// Transcripts is the number of transcripts left in the original (served through
	// UPSTREAM_API_URL); their recordings keep their ids.
	Transcripts int
}

// Changed is the number of rows written (or that would be).
func (r *Report) Changed() int {
	n := 0
	for _, c := range r.Tables {
		n += c.Inserted + c.Updated
	}
	return n
}

func (r *Report) table(name string) *Counts {
	for _, c := range r.Tables {
		if c.Table == name {
			return c
		}
	}
	c := &Counts{Table: name}
	r.Tables = append(r.Tables, c)
	return c
}

func (r *Report) skip(table, id, format string, args ...any) {
	r.table(table).Skipped++
	r.Skipped = append(r.Skipped, Problem{sourceName(table), id, fmt.Sprintf(format, args...)})
}

func (r *Report) note(table, id, format string, args ...any) {
	r.Notes = append(r.Notes, Problem{sourceName(table), id, fmt.Sprintf(format, args...)})
}

// Print writes the report: skipped rows and notes, one line each, then the counts per table.
func (r *Report) Print(w io.Writer) {
	for _, p := range r.Skipped {
		fmt.Fprintf(w, "skipped %s %s: %s\n", p.Table, p.ID, p.Reason)
	}
	for _, p := range r.Notes {
		fmt.Fprintf(w, "note %s %s: %s\n", p.Table, p.ID, p.Reason)
	}
	verb := "inserted"
	if r.DryRun {
		verb = "would insert"
	}
	for _, c := range r.Tables {
		fmt.Fprintf(w, "%-20s read=%d %s=%d updated=%d unchanged=%d skipped=%d\n",
			c.Table, c.Read, verbKey(verb), c.Inserted, c.Updated, c.Unchanged, c.Skipped)
	}
	fmt.Fprintf(w, "transcripts left in the original (referenced): %d\n", r.Transcripts)
	switch {
	case !r.DryRun && !r.Committed:
		fmt.Fprintln(w, "failed: rolled back, nothing written")
	case r.Changed() == 0:
		fmt.Fprintln(w, "nothing to change: the import is up to date")
	case r.DryRun:
		fmt.Fprintf(w, "dry run: %d rows would change, nothing was written\n", r.Changed())
	default:
		fmt.Fprintf(w, "%d rows written\n", r.Changed())
	}
}

func verbKey(verb string) string {
	if verb == "inserted" {
		return "inserted"
	}
	return "would_insert"
}
