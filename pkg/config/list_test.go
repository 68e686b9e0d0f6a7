package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The original reads list settings as JSON arrays (pydantic), so an operator moving over
// keeps DAILY_MIGRATION_ROOM_IDS=["a","b"]; a comma split would yield `["a"` and `"b"]`.
func TestListTakesJSONArrays(t *testing.T) {
	t.Parallel()
	c, err := load(t, map[string]string{"DAILY_MIGRATION_ROOM_IDS": ` ["a", "b c"] `})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b c"}, c.DailyMigrationRoomIDs)

	_, err = load(t, map[string]string{"DAILY_MIGRATION_ROOM_IDS": `["a",`})
	require.ErrorContains(t, err, "DAILY_MIGRATION_ROOM_IDS")
}
