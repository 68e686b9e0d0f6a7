package user_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
	"github.com/monadical/reflector-go/pkg/user"
)

func TestHashKeyIsTheOriginals(t *testing.T) {
	t.Parallel()
	// hmac.new(b"fixture-original-secret-key", b"rfk_alice_live_key_7Qm2", sha256).hexdigest()
	require.Equal(t, "82e485d58dc9ff64119e3d8dcf6d1341a970096c3c19d939b5b48dde1cb31a31",
		user.HashKey("fixture-original-secret-key", "rfk_alice_live_key_7Qm2"))
}

func TestService(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T, secret string) *user.Service {
		t.Helper()
		return user.NewService(user.Config{Store: store.NewUserStore(storetest.NewDB(t)), Secret: secret})
	}
	ctx := context.Background()

	t.Run("first requests of a new sub agree on one id", func(t *testing.T) {
		t.Parallel()
		svc := setup(t, "")
		ids := make([]string, 8)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, err := svc.ForSub(ctx, "sub-1", "a@example.com")
				require.NoError(t, err)
				ids[i] = id
			}()
		}
		wg.Wait()
		for _, id := range ids {
			require.Equal(t, "sub-1", id)
		}
	})
	t.Run("a created key authenticates its owner and is stored hashed", func(t *testing.T) {
		t.Parallel()
		svc := setup(t, "s3cret")
		key, k, err := svc.CreateKey(ctx, "owner-1", "ci")
		require.NoError(t, err)
		require.Equal(t, user.HashKey("s3cret", key), k.KeyHash)
		require.NotContains(t, k.KeyHash, key)
		id, err := svc.ForAPIKey(ctx, key)
		require.NoError(t, err)
		require.Equal(t, "owner-1", id)
		_, err = svc.ForAPIKey(ctx, key+"x")
		require.ErrorIs(t, err, user.ErrUnknownKey)
	})
	t.Run("without SECRET_KEY keys are refused", func(t *testing.T) {
		t.Parallel()
		svc := setup(t, "")
		_, err := svc.ForAPIKey(ctx, "anything")
		require.ErrorIs(t, err, user.ErrKeysDisabled)
		_, _, err = svc.CreateKey(ctx, "owner-1", "")
		require.ErrorIs(t, err, user.ErrKeysDisabled)
	})
}
