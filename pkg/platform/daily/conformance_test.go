package daily_test

import (
	"testing"
	"time"

	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/platform/platformtest"
)

type testBundle struct {
	client *daily.Client
	emu    *emulator.Daily
	url    string
}

// setup starts a Daily emulator and a client pointed at it, with fast retries.
func setup(t *testing.T) testBundle {
	t.Helper()
	emu := emulator.NewDaily(emulator.DailyOptions{APIKey: "test-key"})
	url, stop := emu.Start()
	t.Cleanup(stop)
	client := daily.New(daily.Config{
		BaseURL: url, APIKey: "test-key", WebhookSecret: emu.WebhookSecret(),
		RetryBaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Second,
		RatePerSecond: 1000, DeleteRatePerSecond: 1000,
		RecordingsBucket: daily.Bucket{Name: "rec-bucket", Region: "us-east-1", RoleARN: "arn:aws:iam::1:role/daily"},
	})
	return testBundle{client: client, emu: emu, url: url}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	platformtest.Exercise(t, func(t *testing.T) platformtest.Harness {
		b := setup(t)
		return platformtest.Harness{
			Client: b.client, Emulator: b.emu,
			Endpoints: platformtest.Endpoints{Create: emulator.DailyCreateRoom, Sessions: emulator.DailyRoomPresence},
			Event: func(room string) any {
				return emulator.DailyParticipantJoined(room, "s-1", "u-1", "Zoë <host>", b.emu.Now())
			},
		}
	})
}
