package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// meetingArg parses the meeting id of a meetings verb.
func meetingArg(verb, arg string) (uuid.UUID, error) {
	id, err := uuid.Parse(arg)
	if err != nil {
		return uuid.Nil, fmt.Errorf("meetings %s: bad meeting id %q", verb, arg)
	}
	return id, nil
}

// meetingShowCmd is `meetings show <id> [--events n]`.
func (a *app) meetingShowCmd() *cobra.Command {
	var events int
	cmd := &cobra.Command{Use: "show <meeting_id>", Short: "A meeting's row and its latest timeline events (DATABASE_URL)",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			id, err := meetingArg("show", args[0])
			if err != nil {
				return err
			}
			return a.with(cmd, usesMeetings, func(ctx context.Context, c *ctl) error { return c.meetingShow(ctx, id, events) })
		}}
	cmd.Flags().IntVar(&events, "events", 10, "latest timeline events to show")
	return cmd
}

func (c *ctl) meetingShow(ctx context.Context, id uuid.UUID, events int) error {
	m, evs, err := c.meetings.Timeline(ctx, id, meeting.AnyCaller)
	if err != nil {
		return err
	}
	c.printMeeting(m)
	if len(evs) > events {
		fmt.Fprintf(c.out, "timeline (latest %d of %d; `meetings timeline %s` shows all):\n", events, len(evs), m.ID)
		evs = evs[len(evs)-events:]
	} else {
		fmt.Fprintln(c.out, "timeline:")
	}
	w := c.tw()
	for _, e := range evs {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", e.At.UTC().Format("2006-01-02T15:04:05.000Z"), e.Kind, e.Actor, e.Detail)
	}
	return w.Flush()
}

// printMeeting prints the fields of a meeting an operator asks about. The host room URL is
// left out: it carries host rights.
func (c *ctl) printMeeting(m meeting.Meeting) {
	w := c.tw()
	for _, kv := range [][2]string{
		{"id", m.ID.String()}, {"room_id", m.RoomID.String()}, {"kind", m.Kind}, {"platform", m.Platform},
		{"provider_room", m.RoomName}, {"room_url", m.RoomURL}, {"active", fmt.Sprint(m.IsActive)},
		{"start_date", stamp(&m.StartDate)}, {"end_date", stamp(&m.EndDate)}, {"num_clients", fmt.Sprint(m.NumClients)},
		{"ever_joined", fmt.Sprint(m.EverJoined)}, {"last_participant_left_at", stamp(m.LastParticipantLeftAt)},
		{"ended_at", stamp(m.EndedAt)}, {"ended_reason", deref(m.EndedReason)},
	} {
		fmt.Fprintf(w, "%s:\t%s\n", kv[0], kv[1])
	}
	_ = w.Flush()
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return orDash(*s)
}

// meetingEndCmd is `meetings end <id> --yes`.
func (a *app) meetingEndCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{Use: "end <meeting_id> --yes", Short: "End a meeting now, as its owner's End meeting does (DATABASE_URL, REDIS_URL)",
		Long: "End a meeting now, whoever is in it: the same end path as process-meetings and the owner's\n" +
			"End meeting (ended_reason \"ended by operator\", a timeline row, the provider room deleted by a task).",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			id, err := meetingArg("end", args[0])
			if err != nil {
				return err
			}
			if !yes {
				return errors.New("meetings end: this ends the meeting for everyone in it; confirm with --yes")
			}
			return a.with(cmd, usesMeetings|usesQueue, func(ctx context.Context, c *ctl) error { return c.meetingEnd(ctx, id) })
		}}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm")
	return cmd
}

func (c *ctl) meetingEnd(ctx context.Context, id uuid.UUID) error {
	m, ended, err := c.meetings.EndByOperator(ctx, id)
	if err != nil {
		return err
	}
	if !ended {
		fmt.Fprintf(c.out, "%s had already ended (%s at %s)\n", m.ID, deref(m.EndedReason), stamp(m.EndedAt))
		return nil
	}
	fmt.Fprintf(c.out, "%s ended (%s); provider room %s delete queued\n", m.ID, deref(m.EndedReason), m.RoomName)
	return nil
}
