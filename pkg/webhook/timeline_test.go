package webhook_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

type timelineRow struct {
	Kind   string          `db:"kind"`
	Actor  string          `db:"actor"`
	At     time.Time       `db:"at"`
	Detail json.RawMessage `db:"detail"`
}

func (b *testBundle) timeline(t *testing.T, meetingID uuid.UUID) []timelineRow {
	t.Helper()
	var rows []timelineRow
	require.NoError(t, b.db.Select(&rows, `SELECT kind, actor, at, detail FROM meeting_event WHERE meeting_id = $1 ORDER BY id`, meetingID))
	return rows
}

func detailOf(t *testing.T, r timelineRow) map[string]any {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal(r.Detail, &d))
	return d
}

// TestRecordingWebhooksOnTheTimeline (issue 12 item 3): every applied recording webhook
// about a known meeting gets its webhook row (type and provider event id, never the body),
// and a recording's stop gets a recording_stopped row at the time it stopped: Daily's
// ready-to-download (finished: start plus duration), Daily's recording.error (the message,
// without a signed URL's query) and Whereby's recorder leaving.
func TestRecordingWebhooksOnTheTimeline(t *testing.T) {
	t.Parallel()

	t.Run("daily started and ready", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.meeting(t, platform.Daily, "room-tl", "")
		start := b.clock.Now().Add(-time.Hour)
		started := emulator.DailyEvent{Version: "1.0.0", Type: "recording.started", ID: "rec-sta-1", EventTS: float64(start.Unix()),
			Payload: map[string]any{"action": "start-cloud-recording", "recording_id": "rec-tl", "room_name": "room-tl", "start_ts": start.Unix()}}
		require.NoError(t, b.svc.Process(b.ctx, b.receive(t, platform.Daily, started)))
		ready := emulator.DailyRecordingReadyCloud("room-tl", "rec-tl", "k.mp4", start, 10*time.Minute)
		require.NoError(t, b.svc.Process(b.ctx, b.receive(t, platform.Daily, ready)))

		rows := b.timeline(t, id)
		require.Equal(t, []string{"webhook", "recording_stopped", "webhook"}, kinds(rows))
		require.Equal(t, map[string]any{"event_type": "recording.ready-to-download", "event_id": ready.ID,
			"reason": "finished", "provider_recording_id": "rec-tl"}, detailOf(t, rows[1]))
		require.Equal(t, "daily", rows[1].Actor)
		require.True(t, start.Add(10*time.Minute).Equal(rows[1].At), "stopped at start + duration, got %s", rows[1].At)
		for i, typ := range map[int]string{0: "recording.started", 2: "recording.ready-to-download"} {
			d := detailOf(t, rows[i])
			require.Equal(t, typ, d["type"])
			require.NotEmpty(t, d["event_id"])
			require.NotContains(t, string(rows[i].Detail), "payload", "the body is not copied")
		}
	})

	t.Run("daily recording error", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.meeting(t, platform.Daily, "room-err", "")
		at := b.clock.Now().Add(-time.Minute)
		msg := "upload to https://bucket.s3.amazonaws.com/k?X-Amz-Signature=deadbeef failed"
		require.NoError(t, b.svc.Process(b.ctx, b.receive(t, platform.Daily, emulator.DailyRecordingError("room-err", msg, at))))
		rows := b.timeline(t, id)
		require.Equal(t, []string{"recording_stopped", "webhook"}, kinds(rows))
		d := detailOf(t, rows[0])
		require.Equal(t, "error", d["reason"])
		require.Contains(t, d["error"], "https://bucket.s3.amazonaws.com/k")
		require.NotContains(t, string(rows[0].Detail), "deadbeef")
		require.True(t, at.Equal(rows[0].At))

		// An error about a room we do not know is noted and leaves no row.
		eid := b.receive(t, platform.Daily, emulator.DailyRecordingError("room-unknown", "x", at))
		require.NoError(t, b.svc.Process(b.ctx, eid))
		require.Equal(t, 2, b.count(t, `SELECT count(*) FROM meeting_event`))
		require.Equal(t, "no meeting for room room-unknown", *b.row(t, platform.Daily, "rec-err-room-unknown-"+itoa(at.Unix())).LastError)
	})

	t.Run("whereby recorder leaves", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.meeting(t, platform.Whereby, "/room-wb", "wb-9")
		ev := emulator.WherebyClientLeft("wb-9", "room-wb", "rec", "Recorder", 1, b.clock.Now())
		data := ev.Data.(emulator.WherebyClient)
		data.RoleName = "recorder"
		ev.Data = data
		require.NoError(t, b.svc.Process(b.ctx, b.receive(t, platform.Whereby, ev)))
		rows := b.timeline(t, id)
		require.Equal(t, []string{"recording_stopped", "webhook"}, kinds(rows))
		require.Equal(t, "finished", detailOf(t, rows[0])["reason"])
		require.Equal(t, "room.client.left", detailOf(t, rows[1])["type"])
	})
}

func kinds(rows []timelineRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Kind
	}
	return out
}
