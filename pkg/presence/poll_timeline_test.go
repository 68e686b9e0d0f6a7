package presence_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// TestPollReadsOnTheTimeline (issue 12 item 3, "every presence read with its result"): each
// presence:poll read leaves a presence_read row, ok with the participants present, or
// unknown with the error when the provider could not be read (which changes no session).
func TestPollReadsOnTheTimeline(t *testing.T) {
	t.Parallel()
	b := setupPoll(t)
	b.a.Daily.Join(b.prov, "s1", "u1", "Ann")
	b.poll(t)
	b.a.Daily.FailNext(emulator.DailyRoomPresence, 10, emulator.Fault{Status: http.StatusServiceUnavailable})
	require.Error(t, b.poller.Poll(context.Background(), b.id))

	var rows []struct {
		Kind   string          `db:"kind"`
		Detail json.RawMessage `db:"detail"`
	}
	require.NoError(t, b.a.DB.Select(&rows, `SELECT kind, detail FROM meeting_event
		WHERE meeting_id = $1 AND kind IN ('presence_read', 'joined', 'left') ORDER BY id`, b.id))
	require.Len(t, rows, 3, "joined, then one row per read")
	require.Equal(t, "joined", rows[0].Kind)
	var ok, unknown map[string]any
	require.NoError(t, json.Unmarshal(rows[1].Detail, &ok))
	require.NoError(t, json.Unmarshal(rows[2].Detail, &unknown))
	require.Equal(t, map[string]any{"result": "ok", "present": float64(1), "num_clients": float64(1), "via": "presence:poll"}, ok)
	require.Equal(t, "unknown", unknown["result"])
	require.Contains(t, unknown["error"], "503")
	require.Empty(t, b.sessions(t)["s1"].LeftAt, "an unknown read closes no session")
}
