package httpapi_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
)

var update = flag.Bool("update", false, "rewrite golden files") //nolint:gochecknoglobals // test flag

// TestOpenAPIGolden fails when the served routes change and testdata/openapi.json does not;
// regenerate with `go test ./pkg/httpapi -run OpenAPI -update`.
func TestOpenAPIGolden(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	res := a.Do(t, http.MethodGet, "/openapi.json", nil)
	require.Equal(t, http.StatusOK, res.Status)
	const golden = "testdata/openapi.json"
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, res.Body, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.JSONEq(t, string(want), string(res.Body))

	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(res.Body, &doc))
	require.Equal(t, "v1_rooms_create_meeting", doc.Paths["/v1/rooms/{room_name}/meeting"]["post"].OperationID)
	require.Equal(t, "v1_rooms_join_meeting", doc.Paths["/v1/rooms/{room_name}/meetings/{meeting_id}/join"]["post"].OperationID)
}

func TestHealth(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	require.Equal(t, http.StatusOK, a.Do(t, http.MethodGet, "/healthz", nil).Status)
	res := a.Do(t, http.MethodGet, "/readyz", nil)
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, "ok", res.JSON(t)["database"])
}
