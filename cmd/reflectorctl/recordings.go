package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/redact"
)

// recordingOps is what the commands need of the recording service.
type recordingOps interface {
	Reprocess(ctx context.Context, transcriptID uuid.UUID, force bool) (int, error)
	MissingRecordings(ctx context.Context, now time.Time) ([]recording.MissingRecording, error)
}

// recordingsCmd is `recordings list|show|missing`.
func (a *app) recordingsCmd() *cobra.Command {
	cmd := group("recordings", "Inspect recordings and meetings missing one")
	var status string
	var limit int
	list := &cobra.Command{Use: "list", Short: "Recordings, newest first (DATABASE_URL)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.with(cmd, usesDB, func(ctx context.Context, c *ctl) error { return c.recordingsList(ctx, status, limit) })
		}}
	list.Flags().StringVar(&status, "status", "", "only recordings in this status (pending, downloading, stored, processing, completed, failed)")
	list.Flags().IntVar(&limit, "limit", 50, "at most this many, newest first")
	_ = list.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(recordingStatuses(), cobra.ShellCompDirectiveNoFileComp))
	show := &cobra.Command{Use: "show <recording_id>", Short: "One recording in detail, with its transcript (DATABASE_URL)",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, usesDB, func(ctx context.Context, c *ctl) error { return c.recordingsShow(ctx, args[0]) })
		}}
	missing := &cobra.Command{Use: "missing", Short: "Ended meetings that should have a recording and have none (DATABASE_URL)",
		Args: cobra.NoArgs, RunE: func(cmd *cobra.Command, _ []string) error {
			return a.with(cmd, usesDB, func(ctx context.Context, c *ctl) error { return c.recordingsMissing(ctx) })
		}}
	cmd.AddCommand(list, show, missing)
	return cmd
}

func (c *ctl) recordingsList(ctx context.Context, status string, limit int) error {
	if status != "" && !slices.Contains(recordingStatuses(), status) {
		return fmt.Errorf("recordings list: unknown status %q", status)
	}
	recs, err := c.store.RecordingsRecent(ctx, recording.Status(status), limit)
	if err != nil {
		return err
	}
	w := c.tw()
	fmt.Fprintln(w, "ID\tPLATFORM\tKIND\tSTATUS\tATTEMPTS\tMEETING\tRECORDED\tOBJECT\tLAST ERROR")
	for _, r := range recs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.ID, r.Platform, r.Kind, r.Status, r.Attempts,
			meetingOrOrphan(r), r.RecordedAt.UTC().Format(time.RFC3339), r.Bucket+"/"+r.ObjectKey, clip(r.LastError, 60))
	}
	return w.Flush()
}

func recordingStatuses() []string {
	return []string{string(recording.StatusPending), string(recording.StatusDownloading), string(recording.StatusStored),
		string(recording.StatusProcessing), string(recording.StatusCompleted), string(recording.StatusFailed)}
}

func meetingOrOrphan(r recording.Recording) string {
	if r.MeetingID != nil {
		return r.MeetingID.String()
	}
	return "orphan"
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (c *ctl) recordingsShow(ctx context.Context, raw string) error {
	id, err := uuid.Parse(raw)
	if err != nil {
		return fmt.Errorf("recordings show: %w", err)
	}
	r, err := c.store.RecordingByID(ctx, id)
	if err != nil {
		return fmt.Errorf("recordings show %s: %w", id, err)
	}
	w := c.tw()
	rows := [][2]string{
		{"id", r.ID.String()}, {"platform", r.Platform}, {"provider recording id", r.ProviderRecordingID},
		{"kind", string(r.Kind)}, {"status", string(r.Status)}, {"attempts", fmt.Sprint(r.Attempts)},
		{"object", r.Bucket + "/" + r.ObjectKey}, {"source url", redact.Text(r.SourceURL)}, // a signed link
		{"meeting", meetingOrOrphan(r)},
		{"provider room", r.ProviderRoomName}, {"orphan reason", r.OrphanReason},
		{"recorded at", stamp(&r.RecordedAt)}, {"created at", stamp(&r.CreatedAt)}, {"stored at", stamp(r.StoredAt)},
		{"completed at", stamp(r.CompletedAt)}, {"failed at", stamp(r.FailedAt)},
		{"duration s", fmt.Sprint(r.Duration)}, {"size bytes", fmt.Sprint(r.SizeBytes)}, {"last error", r.LastError},
	}
	for i, k := range r.TrackKeys {
		rows = append(rows, [2]string{fmt.Sprintf("track %d", i), k})
	}
	rows = append(rows, c.transcriptRows(ctx, r.ID)...)
	for _, row := range rows {
		fmt.Fprintf(w, "%s:\t%s\n", row[0], row[1])
	}
	return w.Flush()
}

func (c *ctl) transcriptRows(ctx context.Context, recID uuid.UUID) [][2]string {
	t, err := c.store.TranscriptForRecording(ctx, recID)
	if errors.Is(err, recording.ErrNotFound) {
		return [][2]string{{"transcript", "none"}}
	}
	if err != nil {
		return [][2]string{{"transcript", "error: " + err.Error()}}
	}
	return [][2]string{
		{"transcript", t.ID.String()}, {"transcript status", string(t.Status)},
		{"transcript generation", fmt.Sprint(t.Generation)}, {"transcript segments", fmt.Sprint(len(t.Segments))},
		{"audio deleted", fmt.Sprint(t.AudioDeleted)}, {"transcript error", t.Error},
	}
}

func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func (c *ctl) recordingsMissing(ctx context.Context) error {
	missing, err := recording.Missing(ctx, c.store, c.now())
	if err != nil {
		return err
	}
	w := c.tw()
	fmt.Fprintln(w, "MEETING\tPLATFORM\tROOM\tENDED\tSESSIONS\tSTARTED\tFAILED REASON")
	for _, m := range missing {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%t\t%s\n", m.MeetingID, m.Platform, m.RoomName,
			m.EndedAt.UTC().Format(time.RFC3339), m.Sessions, m.Started, clip(m.FailedReason, 60))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.errw, "%d meeting(s) missing a recording\n", len(missing))
	return nil
}

// reprocessCmd is `reprocess <transcript_id>... [--force]`: a new generation of each
// transcript, queued; the counter shows progress over many ids.
func (a *app) reprocessCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{Use: "reprocess <transcript_id>...", Short: "Start a new generation of transcripts and queue them",
		Args: cobra.MinimumNArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, usesRecordings, func(ctx context.Context, c *ctl) error {
				if c.recs == nil {
					return errNoRecordings
				}
				return c.reprocessAll(ctx, args, force)
			})
		}}
	cmd.Flags().BoolVar(&force, "force", false, "also restart a transcript that is processing or done")
	return cmd
}

func (c *ctl) reprocessAll(ctx context.Context, ids []string, force bool) error {
	var errs []error
	p := progress{w: c.errw, label: "reprocessed", total: len(ids)}
	defer p.done()
	for _, raw := range ids {
		id, err := uuid.Parse(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("%q: %w", raw, err))
			continue
		}
		gen, err := c.recs.Reprocess(ctx, id, force)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(c.out, "%s generation %d queued\n", id, gen)
		p.step(1)
	}
	return errors.Join(errs...)
}
