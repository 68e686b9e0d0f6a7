package platform_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
)

// namedClient is a Client that only has a name; the registry never calls anything else.
type namedClient struct{ name string }

func (c namedClient) Name() string { return c.name }
func (namedClient) CreateMeeting(context.Context, platform.CreateRequest) (platform.Meeting, error) {
	return platform.Meeting{}, nil
}
func (namedClient) RoomSessions(context.Context, string) ([]platform.Session, error) { return nil, nil }
func (namedClient) DeleteRoom(context.Context, string) error                         { return nil }
func (namedClient) VerifyWebhook(http.Header, []byte, time.Time) error               { return nil }

func TestRegistry(t *testing.T) {
	t.Parallel()
	reg := platform.NewRegistry(namedClient{"whereby"}, namedClient{"daily"})

	t.Run("GetsRegisteredClients", func(t *testing.T) {
		t.Parallel()
		c, err := reg.Get("daily")
		require.NoError(t, err)
		require.Equal(t, "daily", c.Name())
	})
	t.Run("NamesAreSorted", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, []string{"daily", "whereby"}, reg.Names())
	})
	t.Run("UnknownNameListsTheRegistered", func(t *testing.T) {
		t.Parallel()
		_, err := reg.Get("zoom")
		require.ErrorIs(t, err, platform.ErrUnknownPlatform)
		require.ErrorContains(t, err, `"zoom" (registered: daily, whereby)`)
	})
	t.Run("EmptyRegistry", func(t *testing.T) {
		t.Parallel()
		_, err := platform.NewRegistry().Get("daily")
		require.ErrorIs(t, err, platform.ErrUnknownPlatform)
	})
}

func TestPolicyForRoom(t *testing.T) {
	t.Parallel()
	migrating := platform.Policy{Default: "whereby", DailyMigrationEnabled: true, DailyMigrationRoomIDs: []string{"room-abc", "room-xyz"}}
	tests := []struct {
		name           string
		policy         platform.Policy
		stored, roomID string
		want           string
	}{
		{"stored platform wins", migrating, "whereby", "room-abc", "whereby"},
		{"stored platform wins over a disabled migration", platform.Policy{Default: "whereby"}, "daily", "r", "daily"},
		{"stored unknown platform is kept", migrating, "zoom", "r", "zoom"},
		{"migration disabled means whereby", platform.Policy{Default: "daily"}, "", "room-abc", "whereby"},
		{"listed room migrates to daily", migrating, "", "room-xyz", "daily"},
		{"unlisted room gets the default", migrating, "", "room-other", "whereby"},
		{"empty room id gets the default", migrating, "", "", "whereby"},
		{"enabled with daily default", platform.Policy{Default: "daily", DailyMigrationEnabled: true}, "", "r", "daily"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.policy.ForRoom(tt.stored, tt.roomID))
		})
	}
}

func TestPolicyForMeeting(t *testing.T) {
	t.Parallel()
	migrating := platform.Policy{Default: "whereby", DailyMigrationEnabled: true, DailyMigrationRoomIDs: []string{"room-abc"}}
	off := platform.Policy{Default: "whereby", DailyMigrationRoomIDs: []string{"room-abc"}}
	tests := []struct {
		name           string
		policy         platform.Policy
		stored, roomID string
		want           string
	}{
		{"listed room moves to daily", migrating, "whereby", "room-abc", "daily"},
		{"unlisted room keeps its platform", migrating, "whereby", "room-other", "whereby"},
		{"unlisted daily room stays daily", migrating, "daily", "room-other", "daily"},
		{"listed room stays while migration is off", off, "whereby", "room-abc", "whereby"},
		{"owner's daily is kept while migration is off", off, "daily", "room-abc", "daily"},
		{"no stored platform falls back to ForRoom", migrating, "", "room-other", "whereby"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.policy.ForMeeting(tt.stored, tt.roomID))
		})
	}
}
