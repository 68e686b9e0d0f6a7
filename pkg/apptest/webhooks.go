package apptest

import (
	"testing"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// newWebhooks builds the webhook inbox behind the API's webhook routes: Daily verified by the
// app's Daily client, Whereby by a Whereby client holding the Whereby emulator's secret. Its
// queue goes through a.WebhookQueue, which tests can take down.
func (a *App) newWebhooks(t testing.TB, o Options) *webhook.Service {
	t.Helper()
	if a.Whereby == nil {
		a.Whereby = emulator.NewWhereby(emulator.WherebyOptions{APIKey: "test-key", Now: o.Now})
	}
	dailyClient, err := a.Platforms.Get(platform.Daily)
	if err != nil {
		t.Fatalf("apptest: %v", err)
	}
	verifiers := platform.NewRegistry(dailyClient, whereby.New(whereby.Config{APIKey: "test-key",
		WebhookSecret: a.Whereby.WebhookSecret(), Now: o.Now}))
	a.WebhookQueue = &taskstest.Flaky{Q: a.Queue}
	// The api's constructor, with the test's clock (nil is time.Now).
	inbox, stop := setup.WebhookReceiver(a.DB, verifiers, a.WebhookQueue, a.Log, func(c *webhook.Config) { c.Now = o.Now })
	t.Cleanup(stop)
	return inbox
}

// wherebyClient starts the Whereby emulator and returns a client of it when o.Whereby asks.
func (a *App) wherebyClient(t testing.TB, o Options) []platform.Client {
	t.Helper()
	if !o.Whereby {
		return nil
	}
	a.Whereby = emulator.NewWhereby(emulator.WherebyOptions{APIKey: "test-key", Now: o.Now})
	u, stop := a.Whereby.Start()
	t.Cleanup(stop)
	return []platform.Client{whereby.New(whereby.Config{BaseURL: u, APIKey: "test-key",
		WebhookSecret: a.Whereby.WebhookSecret(), RatePerSecond: 1000, Now: o.Now})}
}
