package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/store"
)

// TestInventedSessionsAreBounded: anonymous /joined calls inventing session ids hold one open
// session per connection, and the next presence poll (nobody is in the provider room) drops
// them: num_clients back to 0, no session rows, and the client's joined mark withdrawn.
func TestInventedSessionsAreBounded(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "bounded")
	anon := a.As(t, "")
	m := anon.Do(t, http.MethodPost, "/v1/rooms/bounded/meeting", map[string]any{"connection_id": "tab"}).JSON(t)
	base := "/v1/rooms/bounded/meetings/" + m["id"].(string)
	for i := range 25 {
		res := anon.Do(t, http.MethodPost, base+"/joined", map[string]any{"connection_id": "tab", "session_id": fmt.Sprint("fake-", i)})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	}
	require.EqualValues(t, 1, a.Scalar(t, "SELECT num_clients FROM meeting"), "one connection, one open session")

	p := presence.Poller{Store: store.NewSessionStore(a.DB), Platforms: a.Platforms, Log: zap.NewNop(), Now: time.Now}
	require.NoError(t, p.Poll(context.Background(), uuid.MustParse(m["id"].(string))))
	require.EqualValues(t, 0, a.Scalar(t, "SELECT num_clients FROM meeting"))
	require.Zero(t, a.Count(t, "SELECT count(*) FROM participant_session"), "sessions presence never showed are dropped")
	require.Equal(t, false, a.Scalar(t, "SELECT ever_joined FROM meeting"), "presence is the authority on ever_joined")
}

// TestFailedJoinedWritesNothing: when opening the session fails (a fault injected in the
// real database), the connected intent of the same /joined is rolled back with it.
func TestFailedJoinedWritesNothing(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "atomic")
	m := a.Do(t, http.MethodPost, "/v1/rooms/atomic/meeting", map[string]any{"connection_id": "tab"}).JSON(t)
	_, err := a.DB.Exec(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
		CREATE TRIGGER refuse BEFORE INSERT ON participant_session FOR EACH ROW EXECUTE FUNCTION refuse()`)
	require.NoError(t, err)
	before := snapshot(t, a)
	res := a.Do(t, http.MethodPost, "/v1/rooms/atomic/meetings/"+m["id"].(string)+"/joined",
		map[string]any{"connection_id": "tab", "session_id": "s1"})
	require.Equal(t, http.StatusInternalServerError, res.Status)
	require.Equal(t, before, snapshot(t, a), "a failed /joined wrote something")
	require.Equal(t, "joining", a.Scalar(t, "SELECT state FROM join_intent WHERE connection_id = 'tab'"))
}
