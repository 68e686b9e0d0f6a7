package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/webhook"
)

const webhooksUsage = `usage:
  reflectorctl webhooks list [--unprocessed] [--limit N]
  reflectorctl webhooks replay <id> | --all-unprocessed [--limit N]
`

// webhookInbox is what the webhooks commands use (webhook.Service).
type webhookInbox interface {
	List(ctx context.Context, f webhook.ListFilter) ([]webhook.Event, error)
	Replay(ctx context.Context, id int64) error
	ReplayUnprocessed(ctx context.Context, limit int) (int, error)
}

// webhooksCmd runs `webhooks list|replay` against the inbox of DATABASE_URL and REDIS_URL.
func webhooksCmd(ctx context.Context, args []string) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	conn, err := setup.Connect(ctx, cfg, 2)
	if err != nil {
		return err
	}
	defer conn.Close()
	return runWebhooks(ctx, setup.Webhooks(conn.DB, conn.Platforms, conn.Queue, nil, zap.NewNop()), args, os.Stdout)
}

// runWebhooks parses and runs one webhooks subcommand.
func runWebhooks(ctx context.Context, inbox webhookInbox, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("webhooks: want list or replay\n%s", webhooksUsage)
	}
	fs := flag.NewFlagSet("webhooks "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	unprocessed := fs.Bool("unprocessed", false, "only rows not processed yet")
	all := fs.Bool("all-unprocessed", false, "replay every unprocessed row")
	limit := fs.Int("limit", 50, "rows at most")
	if err := fs.Parse(interleaved(args[1:])); err != nil {
		return fmt.Errorf("webhooks %s: %w\n%s", args[0], err, webhooksUsage)
	}
	switch args[0] {
	case "list":
		evs, err := inbox.List(ctx, webhook.ListFilter{Unprocessed: *unprocessed, Limit: *limit})
		if err != nil {
			return err
		}
		return printEvents(out, evs)
	case "replay":
		return replayWebhooks(ctx, inbox, fs.Args(), *all, *limit, out)
	}
	return fmt.Errorf("webhooks: unknown subcommand %q\n%s", args[0], webhooksUsage)
}

// interleaved moves flags before positional arguments, so `replay 12 --limit 3` parses.
func interleaved(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--limit" || a == "-limit":
			flags = append(flags, a)
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
		default:
			pos = append(pos, a)
		}
	}
	return append(flags, pos...)
}

func replayWebhooks(ctx context.Context, inbox webhookInbox, pos []string, all bool, limit int, out io.Writer) error {
	switch {
	case all && len(pos) == 0:
		n, err := inbox.ReplayUnprocessed(ctx, limit)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "replayed=%d\n", n)
		return err
	case !all && len(pos) == 1:
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
	return fmt.Errorf("webhooks replay: give one id or --all-unprocessed\n%s", webhooksUsage)
}

func printEvents(out io.Writer, evs []webhook.Event) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPROVIDER\tTYPE\tEVENT_ID\tRECEIVED\tPROCESSED\tATTEMPTS\tLAST_ERROR")
	for _, e := range evs {
		processed, lastErr := "-", "-"
		if e.ProcessedAt != nil {
			processed = e.ProcessedAt.UTC().Format(time.RFC3339)
		}
		if e.LastError != nil {
			lastErr = *e.LastError
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", e.ID, e.Provider, e.Type, e.EventID,
			e.ReceivedAt.UTC().Format(time.RFC3339), processed, e.Attempts, lastErr)
	}
	return w.Flush()
}
