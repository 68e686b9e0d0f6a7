package webhook_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// receive stores an event signed at the bundle's clock and returns its row id.
func (b *testBundle) receive(t *testing.T, provider string, event any) int64 {
	t.Helper()
	raw, err := json.Marshal(event)
	require.NoError(t, err)
	h := b.signDaily(t, string(raw))
	if provider == platform.Whereby {
		h = b.signWhereby(string(raw))
	}
	ack, err := b.svc.Receive(b.ctx, provider, h, raw)
	require.NoError(t, err)
	require.NotZero(t, ack.ID)
	return ack.ID
}

type meetingRow struct {
	NumClients int        `db:"num_clients"`
	EverJoined bool       `db:"ever_joined"`
	LeftAt     *time.Time `db:"last_participant_left_at"`
}

func (b *testBundle) meetingRow(t *testing.T, id uuid.UUID) meetingRow {
	t.Helper()
	var m meetingRow
	require.NoError(t, b.db.Get(&m, `SELECT num_clients, ever_joined, last_participant_left_at FROM meeting WHERE id = $1`, id))
	return m
}

func TestProcessDailyParticipant(t *testing.T) {
	t.Parallel()

	t.Run("joined and left queue one presence poll of the room's meeting", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.meeting(t, platform.Daily, "room-a-20260101", "")
		at := b.clock.Now()
		joined := b.receive(t, platform.Daily, emulator.DailyParticipantJoined("room-a-20260101", "s1", "u1", "Ann", at))
		left := b.receive(t, platform.Daily, emulator.DailyParticipantLeft("room-a-20260101", "s1", "u1", "Ann", at, at.Add(time.Second)))
		require.NoError(t, b.svc.Process(b.ctx, joined))
		require.NoError(t, b.svc.Process(b.ctx, left))
		polls := b.queued(t, tasks.QueueCritical)
		var payloads []string
		for _, p := range polls {
			if p.Type == tasks.TypePresencePoll {
				payloads = append(payloads, string(p.Payload))
			}
		}
		require.Equal(t, []string{fmt.Sprintf(`{"meeting_id":"%s"}`, id)}, payloads, "polls are de-duplicated per meeting")
		require.Equal(t, 2, b.count(t, `SELECT count(*) FROM webhook_event WHERE processed_at IS NOT NULL AND attempts = 1 AND last_error IS NULL`))
	})

	t.Run("an unknown room is processed with a note", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.receive(t, platform.Daily, emulator.DailyParticipantJoined("nowhere", "s1", "u1", "Ann", b.clock.Now()))
		require.NoError(t, b.svc.Process(b.ctx, id))
		var note string
		require.NoError(t, b.db.Get(&note, `SELECT last_error FROM webhook_event WHERE id = $1`, id))
		require.Contains(t, note, "no meeting")
		for _, p := range b.queued(t, tasks.QueueCritical) {
			require.NotEqual(t, tasks.TypePresencePoll, p.Type)
		}
	})

	t.Run("processing twice has one effect", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.meeting(t, platform.Daily, "room-b", "")
		id := b.receive(t, platform.Daily, emulator.DailyParticipantJoined("room-b", "s1", "u1", "Ann", b.clock.Now()))
		require.NoError(t, b.svc.Process(b.ctx, id))
		require.NoError(t, b.svc.Process(b.ctx, id))
		require.Equal(t, 1, b.count(t, `SELECT attempts FROM webhook_event WHERE id = $1`, id))
	})
}

func TestProcessWherebyCount(t *testing.T) {
	t.Parallel()

	t.Run("out-of-order counts never move num_clients backwards", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.meeting(t, platform.Whereby, "/room-c-1234", "wb-1")
		t0 := b.clock.Now()
		ev := func(n int, at time.Time) int64 {
			return b.receive(t, platform.Whereby, emulator.WherebyClientJoined("wb-1", "room-c-1234", "p", "P", n, at))
		}
		e3 := ev(3, t0.Add(3*time.Second))
		e1 := ev(1, t0.Add(1*time.Second))
		e2 := ev(2, t0.Add(2*time.Second))
		require.NoError(t, b.svc.Process(b.ctx, e3))
		require.NoError(t, b.svc.Process(b.ctx, e1))
		require.NoError(t, b.svc.Process(b.ctx, e2))
		m := b.meetingRow(t, id)
		require.Equal(t, 3, m.NumClients)
		require.True(t, m.EverJoined)
		require.Nil(t, m.LeftAt, "a count above zero ends the grace period")

		left := b.receive(t, platform.Whereby, emulator.WherebyClientLeft("wb-1", "room-c-1234", "p", "P", 0, t0.Add(4*time.Second)))
		require.NoError(t, b.svc.Process(b.ctx, left))
		require.Equal(t, 0, b.meetingRow(t, id).NumClients)
		require.NoError(t, b.svc.Replay(b.ctx, e3))
		require.NoError(t, b.svc.Process(b.ctx, e3))
		require.Equal(t, 0, b.meetingRow(t, id).NumClients, "a replayed older event is still ignored")
	})

	t.Run("the meeting is found by whereby meeting id too", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.meeting(t, platform.Whereby, "/room-d-1", "wb-2")
		e := b.receive(t, platform.Whereby, emulator.WherebyClientJoined("wb-2", "renamed", "p", "P", 2, b.clock.Now()))
		require.NoError(t, b.svc.Process(b.ctx, e))
		require.Equal(t, 2, b.meetingRow(t, id).NumClients)
	})

	t.Run("a recorder joining tells the recording ingestion", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.meeting(t, platform.Whereby, "/room-e-1", "wb-3")
		ev := emulator.WherebyClientJoined("wb-3", "room-e-1", "rec", "Recorder", 2, b.clock.Now())
		data := ev.Data.(emulator.WherebyClient)
		data.RoleName = "recorder"
		ev.Data = data
		require.NoError(t, b.svc.Process(b.ctx, b.receive(t, platform.Whereby, ev)))
		require.Equal(t, []string{"whereby:/room-e-1"}, b.rec.started)
	})
}

func TestProcessDailyRecording(t *testing.T) {
	t.Parallel()

	t.Run("ready-to-download is handed to the recording ingestion", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		start := b.clock.Now().Add(-time.Hour)
		tracks := []emulator.DailyTrack{{Type: "audio", S3Key: "k/a1.webm", Size: 10}, {Type: "video", S3Key: "k/v1.webm", Size: 20}}
		id := b.receive(t, platform.Daily, emulator.DailyRecordingReadyRawTracks("room-f", "rec-1", "k/", start, time.Minute, tracks))
		require.NoError(t, b.svc.Process(b.ctx, id))
		require.Equal(t, []recording.DailyReady{{Type: "raw-tracks", RecordingID: "rec-1", RoomName: "room-f",
			StartTS: start.Unix(), Duration: 60, S3Key: "k/", Tracks: []recording.DailyTrack{
				{Type: "audio", S3Key: "k/a1.webm", Size: 10}, {Type: "video", S3Key: "k/v1.webm", Size: 20}}}}, b.rec.ready)
	})

	t.Run("a failing ingestion is retried; a permanent failure is noted", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.receive(t, platform.Daily, emulator.DailyRecordingReadyCloud("room-g", "rec-2", "k.mp4", b.clock.Now(), time.Minute))
		b.rec.err = fmt.Errorf("s3 down")
		require.Error(t, b.svc.Process(b.ctx, id))
		ev := b.row(t, platform.Daily, fmt.Sprintf("rec-rtd-rec-2-%d", b.clock.Now().Add(time.Minute).Unix()))
		require.Nil(t, ev.ProcessedAt)
		require.Equal(t, 1, ev.Attempts)
		require.Contains(t, *ev.LastError, "s3 down")

		b.rec.err = recording.Permanent(fmt.Errorf("no bucket"))
		require.NoError(t, b.svc.Process(b.ctx, id))
		ev = b.row(t, platform.Daily, ev.EventID)
		require.NotNil(t, ev.ProcessedAt)
		require.Equal(t, 2, ev.Attempts)
		require.Contains(t, *ev.LastError, "no bucket")
	})
}

func TestReplayAndList(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.meeting(t, platform.Daily, "room-h", "")
	id := b.receive(t, platform.Daily, emulator.DailyParticipantJoined("room-h", "s1", "u1", "Ann", b.clock.Now()))
	other := b.receive(t, platform.Daily, emulator.DailyParticipantJoined("room-h", "s2", "u2", "Bob", b.clock.Now()))
	require.NoError(t, b.svc.Process(b.ctx, id))

	all, err := b.svc.List(b.ctx, webhook.ListFilter{})
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Equal(t, other, all[0].ID, "newest first")
	open, err := b.svc.List(b.ctx, webhook.ListFilter{Unprocessed: true})
	require.NoError(t, err)
	require.Len(t, open, 1)

	require.NoError(t, b.svc.Replay(b.ctx, id))
	require.Equal(t, 2, b.count(t, `SELECT count(*) FROM webhook_event WHERE processed_at IS NULL`))
	n, err := b.svc.ReplayUnprocessed(b.ctx, 10)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.ErrorIs(t, b.svc.Replay(b.ctx, 999), webhook.ErrEventNotFound)
	require.ErrorIs(t, b.svc.Process(b.ctx, 999), webhook.ErrEventNotFound)
}
