package whereby_test

import (
	"testing"
	"time"

	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/platform/platformtest"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

type testBundle struct {
	client *whereby.Client
	emu    *emulator.Whereby
}

// setup starts a Whereby emulator and a client pointed at it, with fast retries.
func setup(t *testing.T) testBundle {
	t.Helper()
	emu := emulator.NewWhereby(emulator.WherebyOptions{APIKey: "test-key"})
	url, stop := emu.Start()
	t.Cleanup(stop)
	client := whereby.New(whereby.Config{
		BaseURL: url, APIKey: "test-key", WebhookSecret: emu.WebhookSecret(),
		RetryBaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Second, RatePerSecond: 10000,
		RecordingBucket: whereby.Bucket{Name: "rec-bucket/whereby", AccessKeyID: "AKIA", SecretAccessKey: "s3cr3t"},
	})
	return testBundle{client: client, emu: emu}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	platformtest.Exercise(t, func(t *testing.T) platformtest.Harness {
		b := setup(t)
		return platformtest.Harness{
			Client: b.client, Emulator: b.emu,
			Endpoints: platformtest.Endpoints{Create: emulator.WherebyCreateMeeting, Sessions: emulator.WherebyRoomSessions},
			Event: func(room string) any {
				return emulator.WherebyClientJoined("m-1", room, "p-1", "Zoë <host>", 1, b.emu.Now())
			},
		}
	})
}
