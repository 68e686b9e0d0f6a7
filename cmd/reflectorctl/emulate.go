package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// emulateCmd serves the Daily and Whereby emulators. Keys and secrets default to the
// configured ones (DAILY_API_KEY, ...); the flags' defaults stay empty so --help prints none.
func (a *app) emulateCmd() *cobra.Command {
	var addr, dailyKey, dailySecret, wbKey, wbSecret, dailyHook string
	cmd := &cobra.Command{
		Use:   "emulate",
		Short: "Serve the Daily and Whereby emulators for local development",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.LoadFor(a.getenv, config.NeedNothing)
			if err != nil {
				return fmt.Errorf("config: %w", err)
			}
			orDefault(&dailyKey, cfg.Daily.APIKey)
			orDefault(&dailySecret, cfg.Daily.WebhookSecret)
			orDefault(&wbKey, cfg.Whereby.APIKey)
			orDefault(&wbSecret, cfg.Whereby.WebhookSecret)
			d := emulator.NewDaily(emulator.DailyOptions{APIKey: dailyKey, WebhookSecret: dailySecret})
			if dailyHook != "" { // as if made with POST /webhooks, signed with the Daily secret
				d.AddWebhook(emulator.DailyWebhook{URL: dailyHook, EventTypes: []string{"recording.ready-to-download"}})
			}
			w := emulator.NewWhereby(emulator.WherebyOptions{APIKey: wbKey, WebhookSecret: wbSecret})
			fmt.Fprintf(a.out, "emulators on %s: Daily at %s, Whereby at %s\n", addr, emulator.DailyPrefix, emulator.WherebyPrefix)
			return emulator.ListenAndServe(cmd.Context(), addr, d, w)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", ":1251", "listen address")
	f.StringVar(&dailyKey, "daily-api-key", "", "API key the Daily emulator expects (default $DAILY_API_KEY)")
	f.StringVar(&dailySecret, "daily-webhook-secret", "", "Daily webhook secret, base64 (default $DAILY_WEBHOOK_SECRET)")
	f.StringVar(&wbKey, "whereby-api-key", "", "API key the Whereby emulator expects (default $WHEREBY_API_KEY)")
	f.StringVar(&wbSecret, "whereby-webhook-secret", "", "Whereby webhook secret (default $WHEREBY_WEBHOOK_SECRET)")
	f.StringVar(&dailyHook, "daily-webhook-url", "", "register a Daily webhook for recording.ready-to-download at this URL (e.g. the API's /v1/daily/webhook)")
	return cmd
}

// orDefault sets *v to def when the flag was left empty.
func orDefault(v *string, def string) {
	if *v == "" {
		*v = def
	}
}
