package webhook_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// TestPoisonEvents: a signed Daily event whose id or type Postgres cannot store is accepted
// and kept (a provider disables a webhook that keeps failing), and a Whereby count no room
// can have is processed once with a note instead of failing forever.
func TestPoisonEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.receive(t, platform.Daily, map[string]any{"version": "1.0.0", "id": "evt\x00\xff", "type": "participant.\x00joined",
		"event_ts": 1708972280.0, "payload": map[string]any{}})
	require.NoError(t, b.svc.Process(b.ctx, id))
	var eventID string
	require.NoError(t, b.db.Get(&eventID, `SELECT event_id FROM webhook_event WHERE id = $1`, id))
	require.Contains(t, eventID, "sha256:", "an unstorable id is replaced by the body hash")

	mid := b.meeting(t, platform.Whereby, "/wb-room", "wb-1")
	id = b.receive(t, platform.Whereby, emulator.WherebyClientJoined("wb-1", "/wb-room", "p1", "Ann", 2147483648, b.clock.Now()))
	require.NoError(t, b.svc.Process(b.ctx, id))
	require.Equal(t, 0, b.meetingRow(t, mid).NumClients)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM webhook_event WHERE processed_at IS NOT NULL AND last_error LIKE 'implausible%'`))
}
