package importer_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
	"github.com/monadical/reflector-go/pkg/importer"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/user"
)

// The fixture's keys were hashed by the original with this SECRET_KEY.
const originalSecret = "fixture-original-secret-key"

// importedApp is the API on a database holding the fixture's import.
func importedApp(t *testing.T) *apptest.App {
	t.Helper()
	src := loadFixture(t)
	a := apptest.New(t, apptest.Options{Identities: func(a *apptest.App) httpapi.Identities {
		return user.NewService(user.Config{Store: store.NewUserStore(a.DB), Secret: originalSecret})
	}})
	_, err := importer.Run(context.Background(), src, a.DB, importer.Options{})
	require.NoError(t, err)
	return a
}

func roomNames(t *testing.T, r apptest.Response) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	var names []string
	for _, it := range r.JSON(t)["items"].([]any) {
		names = append(names, it.(map[string]any)["name"].(string))
	}
	return names
}

// alice-calendar, a Daily room (the test stack configures Daily only).
const aliceRoom = "/v1/rooms/10000000-0000-4000-8000-000000000003"

func TestImportedOwnershipAndAPIKeys(t *testing.T) {
	t.Parallel()
	a := importedApp(t)
	alice, bob := a.As(t, "ak-7f3c2a91d4e8alice"), a.As(t, "ak-0d9e44b1c2f7bob")

	t.Run("a token's sub acts as the imported user", func(t *testing.T) {
		require.ElementsMatch(t, []string{"alice-standup", "alice-calendar", "team-weekly"}, roomNames(t, alice.Do(t, "GET", "/v1/rooms", nil)))
		require.Equal(t, http.StatusOK, alice.Do(t, "PATCH", aliceRoom, map[string]any{"is_locked": true}).Status)
		require.Equal(t, http.StatusForbidden, bob.Do(t, "PATCH", aliceRoom, map[string]any{"is_locked": true}).Status)
	})
	t.Run("a new sub maps to itself", func(t *testing.T) {
		require.ElementsMatch(t, []string{"team-weekly"}, roomNames(t, a.As(t, "carol").Do(t, "GET", "/v1/rooms", nil)))
		require.Equal(t, "carol", a.Scalar(t, `SELECT id FROM user_account WHERE sub = 'carol'`))
	})
	t.Run("an imported API key authenticates its owner", func(t *testing.T) {
		anon := a.As(t, "")
		r := anon.Do(t, "GET", "/v1/rooms", nil, httpapi.HeaderAPIKey, "rfk_bob_ci_key_9Zx4")
		require.ElementsMatch(t, []string{"bob-1on1", "team-weekly"}, roomNames(t, r))
		r = anon.Do(t, "PATCH", aliceRoom, map[string]any{"is_locked": false}, httpapi.HeaderAPIKey, "rfk_alice_live_key_7Qm2")
		require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	})
	t.Run("a wrong key authenticates nobody", func(t *testing.T) {
		r := a.As(t, "-").Do(t, "GET", "/v1/rooms", nil, httpapi.HeaderAPIKey, "rfk_alice_live_key_7Qm3")
		require.Equal(t, http.StatusUnauthorized, r.Status)
		require.Equal(t, "Not authenticated", r.JSON(t)["detail"])
		r = a.As(t, "-").Do(t, "GET", "/v1/rooms/name/alice-standup", nil, httpapi.HeaderAPIKey, "rfk_alice_live_key_7Qm3")
		require.Equal(t, http.StatusOK, r.Status, "anonymous, as without a key")
		require.Nil(t, r.JSON(t)["webhook_secret"], "not the owner")
	})
	t.Run("a key and a token of two users is a 401", func(t *testing.T) {
		r := bob.Do(t, "GET", "/v1/rooms", nil, httpapi.HeaderAPIKey, "rfk_alice_live_key_7Qm2")
		require.Equal(t, http.StatusUnauthorized, r.Status)
		require.Equal(t, "Invalid authentication: more than one user provided", r.JSON(t)["detail"])
	})
	t.Run("keys are stored hashed", func(t *testing.T) {
		require.Zero(t, a.Count(t, `SELECT count(*) FROM user_api_key WHERE key_hash LIKE 'rfk_%'`))
		require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM user_api_key WHERE key_hash = $1`, user.HashKey(originalSecret, "rfk_alice_live_key_7Qm2")))
	})
}
