package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/webhook"
)

// webhookInbox is what the webhooks commands use (webhook.Service).
type webhookInbox interface {
	List(ctx context.Context, f webhook.ListFilter) ([]webhook.Event, error)
	Replay(ctx context.Context, id int64) error
	ReplayUnprocessed(ctx context.Context, limit int) (int, error)
}

// webhooksCmd is `webhooks list|replay` on the inbox of DATABASE_URL (replay also REDIS_URL).
func (a *app) webhooksCmd() *cobra.Command {
	cmd := group("webhooks", "Inspect and replay provider webhooks stored in the inbox")
	var unprocessed, dead, all bool
	var limit int
	list := &cobra.Command{Use: "list", Short: "Webhooks in the inbox, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.with(cmd, usesInbox, func(ctx context.Context, c *ctl) error {
				evs, err := c.inbox.List(ctx, webhook.ListFilter{Unprocessed: unprocessed, Dead: dead, Limit: limit})
				if err != nil {
					return err
				}
				return printEvents(c.out, evs)
			})
		}}
	list.Flags().BoolVar(&unprocessed, "unprocessed", false, "only rows not processed yet")
	list.Flags().BoolVar(&dead, "dead", false, "only dead-lettered rows (attempts used up; replay to retry)")
	list.Flags().IntVar(&limit, "limit", 50, "rows at most")
	replay := &cobra.Command{Use: "replay <id> | --all-unprocessed", Short: "Process stored webhooks again (re-enqueue; a dead row gets a fresh attempt budget)",
		Args: cobra.MaximumNArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) == 1) {
				return errors.New("webhooks replay: give one id or --all-unprocessed")
			}
			return a.with(cmd, usesInbox, func(ctx context.Context, c *ctl) error {
				return replayWebhooks(ctx, c.inbox, args, limit, c.out)
			})
		}}
	replay.Flags().BoolVar(&all, "all-unprocessed", false, "replay every unprocessed row")
	replay.Flags().IntVar(&limit, "limit", 50, "rows at most with --all-unprocessed")
	cmd.AddCommand(list, replay, a.dailyWebhooksCmd())
	return cmd
}

// replayWebhooks replays one row (pos holds its id) or, with no id, every unprocessed row.
func replayWebhooks(ctx context.Context, inbox webhookInbox, pos []string, limit int, out io.Writer) error {
	if len(pos) == 0 {
		n, err := inbox.ReplayUnprocessed(ctx, limit)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "replayed=%d\n", n)
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return fmt.Errorf("webhooks replay: bad id %q", pos[0])
	}
	if err := inbox.Replay(ctx, id); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "replayed=1 id=%d\n", id)
	return err
}

func printEvents(out io.Writer, evs []webhook.Event) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPROVIDER\tTYPE\tEVENT_ID\tRECEIVED\tPROCESSED\tATTEMPTS\tDEAD\tLAST_ERROR")
	for _, e := range evs {
		processed, dead, lastErr := "-", "-", "-"
		if e.ProcessedAt != nil {
			processed = e.ProcessedAt.UTC().Format(time.RFC3339)
		}
		if e.DeadAt != nil {
			dead = e.DeadAt.UTC().Format(time.RFC3339)
		}
		if e.LastError != nil {
			lastErr = *e.LastError
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", e.ID, e.Provider, e.Type, e.EventID,
			e.ReceivedAt.UTC().Format(time.RFC3339), processed, e.Attempts, dead, lastErr)
	}
	return w.Flush()
}
