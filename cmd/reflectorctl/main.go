// Command reflectorctl is the engineers' CLI: database migrations, the local provider
// emulators, and (as later issues add them) task and recording tools.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/monadical/reflector-go/pkg/migrate"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

const usage = `usage: reflectorctl <command> [args]

commands:
  migrate up|down [N]|status   apply, revert (N steps, default all) or show migrations (DATABASE_URL)
  emulate [-addr :1251]        serve the Daily and Whereby emulators for local development
  webhooks list [--unprocessed] [--limit N]
                               list provider webhooks in the inbox, newest first
  webhooks replay <id>|--all-unprocessed
                               process stored webhooks again (re-enqueue)
  recordings list [--status S] [--limit N] | show <id> | missing
                               recordings newest first, one in detail, meetings missing one
  reprocess <transcript_id>... [--force]
                               start a new generation of transcripts and queue them
  tasks list <queue> [pending|scheduled|retry|archived|active|completed] [--limit N]
  tasks retry|archive|delete <queue> <task_id>
                               inspect and act on queued tasks (queues: critical, default, low)
  run <periodic job> [--wait]  run a scheduled job now, e.g. meeting:process, recording:reprocess_failed
  emulate-recording [-addr :1252]
                               serve S3, SQS and a speech-to-text endpoint for local development
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "reflectorctl:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("no command")
	}
	switch args[0] {
	case "migrate":
		return migrateCmd(args[1:])
	case "emulate":
		return emulateCmd(ctx, args[1:])
	case "webhooks":
		return webhooksCmd(ctx, args[1:])
	case "recordings", "reprocess", "tasks", "run":
		return ctlCmd(ctx, args[0], args[1:])
	case "emulate-recording":
		return emulateRecordingCmd(ctx, args[1:])
	default:
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func migrateCmd(args []string) error {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return fmt.Errorf("DATABASE_URL: required")
	}
	if len(args) == 0 {
		return fmt.Errorf("migrate: want up, down or status")
	}
	switch args[0] {
	case "up":
		if err := migrate.Up(url); err != nil {
			return err
		}
	case "down":
		steps := 0
		if len(args) > 1 {
			if _, err := fmt.Sscan(args[1], &steps); err != nil || steps <= 0 {
				return fmt.Errorf("migrate down: N must be a positive number")
			}
		}
		if err := migrate.Down(url, steps); err != nil {
			return err
		}
	case "status":
	default:
		return fmt.Errorf("migrate: unknown subcommand %q", args[0])
	}
	st, err := migrate.GetStatus(url)
	if err != nil {
		return err
	}
	fmt.Printf("version=%d latest=%d dirty=%t\n", st.Version, st.Latest, st.Dirty)
	return nil
}

func emulateCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	addr := fs.String("addr", ":1251", "listen address")
	dailyKey := fs.String("daily-api-key", os.Getenv("DAILY_API_KEY"), "API key the Daily emulator expects")
	dailySecret := fs.String("daily-webhook-secret", os.Getenv("DAILY_WEBHOOK_SECRET"), "Daily webhook secret (base64)")
	wbKey := fs.String("whereby-api-key", os.Getenv("WHEREBY_API_KEY"), "API key the Whereby emulator expects")
	wbSecret := fs.String("whereby-webhook-secret", os.Getenv("WHEREBY_WEBHOOK_SECRET"), "Whereby webhook secret")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d := emulator.NewDaily(emulator.DailyOptions{APIKey: *dailyKey, WebhookSecret: *dailySecret})
	w := emulator.NewWhereby(emulator.WherebyOptions{APIKey: *wbKey, WebhookSecret: *wbSecret})
	fmt.Printf("emulators on %s: Daily at %s, Whereby at %s\n", *addr, emulator.DailyPrefix, emulator.WherebyPrefix)
	return emulator.ListenAndServe(ctx, *addr, d, w)
}
