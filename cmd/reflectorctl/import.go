package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/importer"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/user"
)

// importCmd is `reflectorctl import reflector --from <url>`: an original Reflector's database
// into ours (DATABASE_URL).
func (a *app) importCmd() *cobra.Command {
	cmd := group("import", "Import another install's data")
	var opts importer.Options
	var from string
	reflector := &cobra.Command{Use: "reflector --from <postgres url>", Args: cobra.NoArgs,
		Short: "Import an original Reflector (v0.34) database into DATABASE_URL, in one transaction",
		Long: "Reads the original's users, API keys, rooms, calendar events, meetings, consents,\n" +
			"participant sessions and recordings (read only) and writes ours in one transaction.\n" +
			"Idempotent: a second run writes nothing. Rows that cannot be mapped are listed and\n" +
			"abort the import unless --skip-unmappable.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return fmt.Errorf("import reflector: --from is required")
			}
			return a.importReflector(cmd.Context(), from, opts)
		}}
	reflector.Flags().StringVar(&from, "from", "", "Postgres URL of the original Reflector's database (read only)")
	reflector.Flags().BoolVar(&opts.DryRun, "dry-run", false, "run the import and roll it back: print what would change")
	reflector.Flags().BoolVar(&opts.SkipUnmappable, "skip-unmappable", false, "commit the rows that map; list and leave out the others")
	cmd.AddCommand(reflector)
	return cmd
}

func (a *app) importReflector(ctx context.Context, from string, opts importer.Options) error {
	cfg, err := config.LoadFor(a.getenv, config.NeedDatabase)
	if err != nil {
		return err
	}
	src, err := store.Open(ctx, from, 2)
	if err != nil {
		return fmt.Errorf("import reflector: --from: %w", err)
	}
	defer src.Close()
	dst, err := store.Open(ctx, cfg.DatabaseURL, 2)
	if err != nil {
		return fmt.Errorf("import reflector: DATABASE_URL: %w", err)
	}
	defer dst.Close()
	opts.Progress = a.errw
	rep, err := importer.Run(ctx, src, dst, opts)
	rep.Print(a.out)
	return err
}

// apiKeyCmd is `reflectorctl apikey create <user id>`: a key for X-API-Key, hashed with
// SECRET_KEY; the key is printed once and never stored.
func (a *app) apiKeyCmd() *cobra.Command {
	cmd := group("apikey", "Manage users' API keys (X-API-Key)")
	var name string
	create := &cobra.Command{Use: "create <user id>", Args: cobra.ExactArgs(1),
		Short: "Make an API key for a user; only its hash (HMAC with SECRET_KEY) is stored",
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.LoadFor(a.getenv, config.NeedDatabase)
			if err != nil {
				return err
			}
			db, err := store.Open(cmd.Context(), cfg.DatabaseURL, 1)
			if err != nil {
				return err
			}
			defer db.Close()
			svc := user.NewService(user.Config{Store: store.NewUserStore(db), Secret: cfg.Auth.APIKeySecret})
			key, k, err := svc.CreateKey(cmd.Context(), args[0], name)
			if err != nil {
				return fmt.Errorf("apikey create: %w (set SECRET_KEY)", err)
			}
			fmt.Fprintf(a.out, "id=%s user_id=%s\nkey=%s\n", k.ID, k.UserID, key)
			return nil
		}}
	create.Flags().StringVar(&name, "name", "", "a label for the key")
	cmd.AddCommand(create)
	return cmd
}
