package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/store"
)

// presenceCmd is `presence <meeting_id>`: who the provider says is in the meeting's room now.
func (a *app) presenceCmd() *cobra.Command {
	return &cobra.Command{Use: "presence <meeting_id>",
		Short: "Ask the provider who is in a meeting now (DATABASE_URL and the meeting's provider key)",
		Args:  cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return fmt.Errorf("presence: bad meeting id %q", args[0])
			}
			return a.with(cmd, usesDB, func(ctx context.Context, c *ctl) error { return c.presence(ctx, id) })
		}}
}

func (c *ctl) presence(ctx context.Context, id uuid.UUID) error {
	m, err := store.NewMeetingStore(c.db).MeetingByID(ctx, id)
	if err != nil {
		return fmt.Errorf("presence %s: %w", id, err)
	}
	if _, err := c.platforms.Get(m.Platform); err != nil {
		return fmt.Errorf("presence: the meeting runs on %s, which is not configured (set %s_API_KEY)",
			m.Platform, strings.ToUpper(m.Platform))
	}
	sessions, err := presence.Read(ctx, c.platforms, m.Platform, m.RoomName)
	switch {
	case errors.Is(err, platform.ErrNotFound):
		fmt.Fprintf(c.out, "%s room %s: the provider has no such room (deleted)\n", m.Platform, m.RoomName)
		return nil
	case err != nil:
		return fmt.Errorf("presence %s: %w", id, err)
	}
	fmt.Fprintf(c.out, "%s room %s: %d present (the database counts %d)\n", m.Platform, m.RoomName, len(sessions), m.NumClients)
	w := c.tw()
	fmt.Fprintln(w, "SESSION\tUSER_ID\tNAME\tJOINED")
	for _, s := range sessions {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.ID, orDash(s.UserID), orDash(s.UserName), stamp(&s.JoinedAt))
	}
	return w.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
