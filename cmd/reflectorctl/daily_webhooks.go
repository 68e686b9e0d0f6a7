package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/platform/daily"
)

// dailyWebhookAdmin is Daily's webhook management API (daily.Client).
type dailyWebhookAdmin interface {
	Webhooks(ctx context.Context) ([]daily.Webhook, error)
	CreateWebhook(ctx context.Context, req daily.WebhookRequest) (daily.Webhook, error)
	UpdateWebhook(ctx context.Context, uuid string, req daily.WebhookRequest) (daily.Webhook, error)
	DeleteWebhook(ctx context.Context, uuid string) error
}

// dailyEventTypes are the events Reflector handles (the original's webhook set-up script).
func dailyEventTypes() []string {
	return []string{"participant.joined", "participant.left", "recording.started", "recording.ready-to-download",
		"recording.error"}
}

// dailyWebhooksCmd is `webhooks daily register|list`: the webhook Daily delivers to, set up
// through Daily's API (DAILY_API_KEY; register also DAILY_WEBHOOK_SECRET, the key the api
// verifies signatures with). The signing key is never printed.
func (a *app) dailyWebhooksCmd() *cobra.Command {
	cmd := group("daily", "Daily's webhook registration (DAILY_API_KEY)")
	list := &cobra.Command{Use: "list", Short: "The webhooks Daily has for the domain", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.with(cmd, usesDaily, func(ctx context.Context, c *ctl) error { return c.dailyWebhooksList(ctx) })
		}}
	var events []string
	var replace bool
	register := &cobra.Command{Use: "register <url>", Short: "Point Daily's webhook at <url>, e.g. https://api.example.com/v1/daily/webhook",
		Long: "Create the domain's Daily webhook, signed with DAILY_WEBHOOK_SECRET, or update the one\n" +
			"already pointing at <url>. Daily allows one webhook per domain: one pointing elsewhere is\n" +
			"only replaced with --replace. Daily test-pings <url> first, so the api must be reachable.",
		Args: cobra.ExactArgs(1), RunE: func(cmd *cobra.Command, args []string) error {
			if u, err := url.Parse(args[0]); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return fmt.Errorf("webhooks daily register: %q is not an http(s) URL", args[0])
			}
			return a.with(cmd, usesDaily, func(ctx context.Context, c *ctl) error {
				return c.dailyWebhookRegister(ctx, daily.WebhookRequest{URL: args[0], EventTypes: events}, replace)
			})
		}}
	register.Flags().StringSliceVar(&events, "events", dailyEventTypes(), "event types to subscribe to")
	register.Flags().BoolVar(&replace, "replace", false, "delete a webhook that points at another URL")
	cmd.AddCommand(list, register)
	return cmd
}

func (c *ctl) dailyWebhooksList(ctx context.Context) error {
	hooks, err := c.daily.Webhooks(ctx)
	if err != nil {
		return fmt.Errorf("webhooks daily list: %w", err)
	}
	w := c.tw()
	fmt.Fprintln(w, "UUID\tURL\tSTATE\tFAILED\tRETRY\tEVENTS\tLAST_PUSHED")
	for _, h := range hooks {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", h.UUID, h.URL, h.State, h.FailedCount, orDash(h.RetryType),
			strings.Join(h.EventTypes, ","), stamp(h.LastMomentPushed))
	}
	return w.Flush()
}

// dailyWebhookRegister updates the webhook already at req.URL, or creates one (after deleting
// the others when replace is set).
func (c *ctl) dailyWebhookRegister(ctx context.Context, req daily.WebhookRequest, replace bool) error {
	if c.dailySecret == "" {
		return errors.New("config: DAILY_WEBHOOK_SECRET: required (the api verifies Daily's signatures with it)")
	}
	req.HMAC = c.dailySecret
	hooks, err := c.daily.Webhooks(ctx)
	if err != nil {
		return fmt.Errorf("webhooks daily register: %w", err)
	}
	for _, h := range hooks {
		if h.URL == req.URL {
			h, err := c.daily.UpdateWebhook(ctx, h.UUID, req)
			if err != nil {
				return fmt.Errorf("webhooks daily register: update %s: %w", h.UUID, err)
			}
			return c.printRegistered("updated", h)
		}
	}
	if len(hooks) > 0 && !replace {
		return fmt.Errorf("webhooks daily register: Daily allows one webhook per domain and %s points at %s; "+
			"pass --replace to delete it", hooks[0].UUID, hooks[0].URL)
	}
	for _, h := range hooks {
		if err := c.daily.DeleteWebhook(ctx, h.UUID); err != nil {
			return fmt.Errorf("webhooks daily register: delete %s: %w", h.UUID, err)
		}
		fmt.Fprintf(c.out, "deleted %s (%s)\n", h.UUID, h.URL)
	}
	h, err := c.daily.CreateWebhook(ctx, req)
	if err != nil {
		return fmt.Errorf("webhooks daily register: %w", err)
	}
	return c.printRegistered("created", h)
}

func (c *ctl) printRegistered(verb string, h daily.Webhook) error {
	_, err := fmt.Fprintf(c.out, "%s %s state=%s url=%s events=%s at %s\n", verb, h.UUID, h.State, h.URL,
		strings.Join(h.EventTypes, ","), h.UpdatedAt.UTC().Format(time.RFC3339))
	return err
}
