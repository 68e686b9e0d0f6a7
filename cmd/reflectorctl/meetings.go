package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// meetingsCmd is `meetings show|end|timeline <id>`.
func (a *app) meetingsCmd() *cobra.Command {
	cmd := group("meetings", "Inspect meetings (DATABASE_URL)")
	var asJSON bool
	timeline := &cobra.Command{Use: "timeline <meeting_id>", Short: "Everything that happened to a meeting, and why it ended",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return fmt.Errorf("meetings timeline: %w", err)
			}
			return a.with(cmd, usesMeetings, func(ctx context.Context, c *ctl) error { return c.timeline(ctx, id, asJSON) })
		}}
	timeline.Flags().BoolVar(&asJSON, "json", false, "print the events as JSON lines")
	cmd.AddCommand(timeline, a.meetingShowCmd(), a.meetingEndCmd())
	return cmd
}

func (c *ctl) timeline(ctx context.Context, id uuid.UUID, asJSON bool) error {
	m, evs, err := c.meetings.Timeline(ctx, id, meeting.AnyCaller)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(c.out)
		for _, e := range evs {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(c.out, "meeting %s  platform %s  room %s  kind %s  active %t\n", m.ID, m.Platform, m.RoomName, m.Kind, m.IsActive)
	w := c.tw()
	fmt.Fprintln(w, "AT\tKIND\tACTOR\tDETAIL")
	for _, e := range evs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.At.UTC().Format("2006-01-02T15:04:05.000Z"), e.Kind, e.Actor, e.Detail)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if m.EndedReason != nil {
		fmt.Fprintf(c.out, "ended: %s at %s\n", *m.EndedReason, stamp(m.EndedAt))
	}
	return nil
}
