package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/migrate"
)

// migrateCmd is `migrate up|down [N]|status` on DATABASE_URL.
func (a *app) migrateCmd() *cobra.Command {
	cmd := group("migrate", "Apply, revert or show database migrations (DATABASE_URL)")
	cmd.AddCommand(
		&cobra.Command{Use: "up", Short: "Apply every pending migration", Args: cobra.NoArgs,
			RunE: func(*cobra.Command, []string) error { return a.migrate(migrate.Up) }},
		&cobra.Command{Use: "down [N]", Short: "Revert N migrations (default: all)", Args: cobra.MaximumNArgs(1),
			RunE: func(_ *cobra.Command, args []string) error {
				steps := 0
				if len(args) == 1 {
					n, err := strconv.Atoi(args[0])
					if err != nil || n <= 0 {
						return fmt.Errorf("migrate down: N must be a positive number")
					}
					steps = n
				}
				return a.migrate(func(url string) error { return migrate.Down(url, steps) })
			}},
		&cobra.Command{Use: "status", Short: "Show the schema version", Args: cobra.NoArgs,
			RunE: func(*cobra.Command, []string) error { return a.migrate(nil) }},
	)
	return cmd
}

// migrate runs step (nil: none) and prints the status.
func (a *app) migrate(step func(url string) error) error {
	cfg, err := config.LoadFor(a.getenv, config.NeedDatabase)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if step != nil {
		if err := step(cfg.DatabaseURL); err != nil {
			return err
		}
	}
	st, err := migrate.GetStatus(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.out, "version=%d latest=%d dirty=%t\n", st.Version, st.Latest, st.Dirty)
	return err
}
