package platform_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// BenchmarkCreateMeeting compares creating a meeting through the Registry with calling the
// Daily client directly, both against the Daily emulator, and reports the registry's
// overhead as platform_overhead_pct.
func BenchmarkCreateMeeting(b *testing.B) {
	emu := emulator.NewDaily(emulator.DailyOptions{})
	url, stop := emu.Start()
	defer stop()
	client := daily.New(daily.Config{BaseURL: url, RatePerSecond: 1e9, DeleteRatePerSecond: 1e9})
	reg := platform.NewRegistry(client)
	ctx := context.Background()
	req := func(i int) platform.CreateRequest {
		return platform.CreateRequest{MeetingID: fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i),
			Room: platform.RoomSettings{Name: "bench"}, EndDate: time.Now().Add(time.Hour)}
	}
	// Direct and registry calls alternate, so drift in a noisy machine hits both alike.
	const rounds = 2000
	var direct, viaRegistry time.Duration
	for n := 0; b.Loop(); n++ {
		direct, viaRegistry = 0, 0
		for i := range rounds {
			start := time.Now()
			_, err := client.CreateMeeting(ctx, req(2*i))
			require.NoError(b, err)
			direct += time.Since(start)

			start = time.Now()
			c, err := reg.Get(platform.Policy{Default: platform.Daily, DailyMigrationEnabled: true}.ForRoom("", "r"))
			require.NoError(b, err)
			_, err = c.CreateMeeting(ctx, req(2*i+1))
			require.NoError(b, err)
			viaRegistry += time.Since(start)
		}
	}
	pct := 100 * (float64(viaRegistry) - float64(direct)) / float64(direct)
	b.ReportMetric(pct, "platform_overhead_pct")
	fmt.Printf("platform_overhead_pct=%.2f direct_us=%.1f registry_us=%.1f\n", pct,
		float64(direct.Microseconds())/rounds, float64(viaRegistry.Microseconds())/rounds)
}
