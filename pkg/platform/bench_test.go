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
	var direct time.Duration // per op, from the Direct run
	b.Run("Direct", func(b *testing.B) {
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			_, err := client.CreateMeeting(ctx, req(i))
			require.NoError(b, err)
		}
		direct = time.Since(start) / time.Duration(max(b.N, 1))
	})
	b.Run("Registry", func(b *testing.B) {
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			c, err := reg.Get(platform.Policy{Default: platform.Daily, DailyMigrationEnabled: true}.ForRoom("", "r"))
			require.NoError(b, err)
			_, err = c.CreateMeeting(ctx, req(i))
			require.NoError(b, err)
		}
		viaRegistry := time.Since(start) / time.Duration(max(b.N, 1))
		if direct > 0 {
			b.ReportMetric(100*(float64(viaRegistry)-float64(direct))/float64(direct), "platform_overhead_pct")
		}
	})
}
