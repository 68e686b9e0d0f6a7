package testkit_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/internal/testkit"
)

func TestClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := testkit.NewClock(start)
	require.Equal(t, start, c.Now())
	c.Advance(time.Minute)
	require.Equal(t, start.Add(time.Minute), c.Now())
	c.Set(start)
	require.Equal(t, start, c.Now())
}
