// Command reflectorctl is the engineers' CLI: database migrations, the local provider
// emulators, task, recording and webhook tools. Every verb has --help that works without any
// configuration, and each verb asks only for the settings it uses.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{getenv: os.Getenv, out: os.Stdout, errw: os.Stderr}
	if err := a.root().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "reflectorctl:", err)
		stop()
		os.Exit(1) //nolint:gocritic // stop already ran
	}
}

// app is the CLI's environment: where it reads settings and writes output, and how a verb
// opens what it uses (tests replace open with connections of their own).
type app struct {
	getenv    func(string) string
	out, errw io.Writer
	open      func(ctx context.Context, u uses) (*ctl, func(), error) // nil: newCtl
}

// root builds the command tree. To add a command, write a method returning a *cobra.Command
// in its own file and list it here.
func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "reflectorctl",
		Short:         "Operate Reflector: migrations, tasks, recordings, webhooks, local emulators",
		SilenceUsage:  true,
		SilenceErrors: true,
		// Environment: only the settings a verb uses are read (DATABASE_URL, REDIS_URL, ...).
		Long: "reflectorctl operates a Reflector deployment. Each verb reads only the settings it\n" +
			"uses from the environment (the same variables as the api, worker and scheduler).",
	}
	root.SetOut(a.out)
	root.SetErr(a.errw)
	root.AddCommand(
		a.migrateCmd(),
		a.emulateCmd(),
		a.emulateRecordingCmd(),
		a.webhooksCmd(),
		a.recordingsCmd(),
		a.reprocessCmd(),
		a.tasksCmd(),
		a.runCmd(),
		a.meetingsCmd(),
		a.queueCmd(),
		a.roomsCmd(),
		a.presenceCmd(),
		a.importCmd(),
		a.demoCmd(),
		a.apiKeyCmd(),
		a.healthcheckCmd(),
	)
	return root
}

// with opens what a verb uses, runs fn on it and releases it.
func (a *app) with(cmd *cobra.Command, u uses, fn func(ctx context.Context, c *ctl) error) error {
	open := a.open
	if open == nil {
		open = a.newCtl
	}
	c, release, err := open(cmd.Context(), u)
	if err != nil {
		return err
	}
	defer release()
	return fn(cmd.Context(), c)
}

// group is a command that only holds subcommands: alone it prints its help, and an unknown
// subcommand is an error (cobra would print the help and succeed).
func group(use, short string) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		}}
}
