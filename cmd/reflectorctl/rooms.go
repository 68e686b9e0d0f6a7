package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/store"
)

// roomsCmd is `rooms list|show`. Rooms are printed as a non-owner sees them: the calendar
// feed URL and the room webhook's URL and secret are credentials, shown only as set or not.
func (a *app) roomsCmd() *cobra.Command {
	cmd := group("rooms", "Inspect rooms (DATABASE_URL)")
	var owner string
	var limit int
	list := &cobra.Command{Use: "list", Short: "Rooms, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.with(cmd, usesDB, func(ctx context.Context, c *ctl) error { return c.roomsList(ctx, owner, limit) })
		}}
	list.Flags().StringVar(&owner, "owner", "", "only the rooms of this user id")
	list.Flags().IntVar(&limit, "limit", 100, "rooms at most")
	show := &cobra.Command{Use: "show <room name>", Short: "A room's settings and its active meetings", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, usesDB, func(ctx context.Context, c *ctl) error { return c.roomShow(ctx, args[0]) })
		}}
	cmd.AddCommand(list, show)
	return cmd
}

func (c *ctl) roomsList(ctx context.Context, owner string, limit int) error {
	rooms, err := store.NewRoomStore(c.db).RoomsList(ctx, owner, limit)
	if err != nil {
		return err
	}
	w := c.tw()
	fmt.Fprintln(w, "NAME\tID\tOWNER\tPLATFORM\tSHARED\tLOCKED\tRECORDING\tICS\tWEBHOOK\tCREATED")
	for _, r := range rooms {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%t\t%t\t%s/%s\t%s\t%s\t%s\n", r.Name, r.ID, r.UserID, r.Platform, r.IsShared,
			r.IsLocked, r.RecordingType, r.RecordingTrigger, icsState(r), isSet(r.WebhookURL), stamp(&r.CreatedAt))
	}
	return w.Flush()
}

func (c *ctl) roomShow(ctx context.Context, name string) error {
	r, err := store.NewRoomStore(c.db).RoomByName(ctx, name)
	if err != nil {
		return fmt.Errorf("rooms show %q: %w", name, err)
	}
	active, err := store.NewMeetingStore(c.db).MeetingsActiveForRoom(ctx, r.ID, c.now().UTC())
	if err != nil {
		return err
	}
	w := c.tw()
	for _, kv := range [][2]string{
		{"name", r.Name}, {"id", r.ID.String()}, {"owner", r.UserID}, {"platform", r.Platform},
		{"shared", fmt.Sprint(r.IsShared)}, {"locked", fmt.Sprint(r.IsLocked)}, {"room_mode", r.RoomMode},
		{"recording", r.RecordingType + "/" + r.RecordingTrigger}, {"grace_period_minutes", fmt.Sprint(r.GracePeriodMinutes)},
		{"ics", icsState(r)}, {"ics_last_sync", stamp(r.ICSLastSync)}, {"webhook", isSet(r.WebhookURL)},
		{"skip_consent", fmt.Sprint(r.SkipConsent)}, {"created_at", stamp(&r.CreatedAt)},
	} {
		fmt.Fprintf(w, "%s:\t%s\n", kv[0], kv[1])
	}
	fmt.Fprintf(w, "active meetings:\t%d\n", len(active))
	for _, m := range active {
		fmt.Fprintf(w, "  %s\t%s %s until %s, %d in it\n", m.ID, m.Kind, m.Platform, stamp(&m.EndDate), m.NumClients)
	}
	return w.Flush()
}

// icsState says whether a calendar feed is configured, never its URL.
func icsState(r room.Room) string {
	switch {
	case r.ICSURL == nil || *r.ICSURL == "":
		return "-"
	case r.ICSEnabled:
		return "on"
	}
	return "off"
}

func isSet(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return "set"
}
