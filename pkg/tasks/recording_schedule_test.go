package tasks_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/tasks"
)

func TestRecordingSchedule(t *testing.T) {
	t.Parallel()
	all := tasks.Intervals{ProcessMeetings: 15 * time.Second, RecordingSQSPoll: time.Minute,
		RecordingDailyPoll: true, Recordings: true}

	t.Run("NightlyRunsAtFiveUTC", func(t *testing.T) {
		t.Parallel()
		p, ok := tasks.Find(tasks.Schedule(all), tasks.TypeRecordingReprocessFailed)
		require.True(t, ok)
		at := func(s string) time.Time {
			v, err := time.Parse(time.RFC3339, s)
			require.NoError(t, err)
			return v
		}
		for now, want := range map[string]string{
			"2026-03-02T04:59:59Z":      "2026-03-02T05:00:00Z",
			"2026-03-02T05:00:00Z":      "2026-03-03T05:00:00Z", // strictly after
			"2026-03-02T00:00:00Z":      "2026-03-02T05:00:00Z",
			"2026-03-02T23:30:00Z":      "2026-03-03T05:00:00Z",
			"2026-03-02T06:30:00+02:00": "2026-03-02T05:00:00Z", // 04:30 UTC: the zone does not matter
			"2026-12-31T05:00:01Z":      "2027-01-01T05:00:00Z",
		} {
			got := p.NextTick(at(now))
			require.True(t, got.Equal(at(want)), "after %s: got %s, want %s", now, got.UTC(), want)
		}
	})

	t.Run("WithoutOffsetTicksAlignToEvery", func(t *testing.T) {
		t.Parallel()
		p, ok := tasks.Find(tasks.Schedule(all), tasks.TypeRecordingLedger)
		require.True(t, ok)
		now := time.Date(2026, 3, 2, 10, 7, 30, 0, time.UTC)
		require.Equal(t, time.Date(2026, 3, 2, 10, 10, 0, 0, time.UTC), p.NextTick(now))
	})

	t.Run("OneNightlyTaskPerDay", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p, _ := tasks.Find(tasks.Schedule(all), tasks.TypeRecordingReprocessFailed)
		tick := p.NextTick(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
		log := zaptest.NewLogger(t)
		tasks.EmitTick(context.Background(), b.client, p, tick, log)
		tasks.EmitTick(context.Background(), b.client, p, tick, log) // a second scheduler
		infos, err := b.inspector.ListPendingTasks(tasks.QueueLow)
		require.NoError(t, err)
		require.Len(t, infos, 1)
		require.Equal(t, tasks.TypeRecordingReprocessFailed, infos[0].Type)
	})

	t.Run("OnlyConfiguredJobs", func(t *testing.T) {
		t.Parallel()
		types := func(iv tasks.Intervals) []string {
			var out []string
			for _, p := range tasks.Schedule(iv) {
				out = append(out, p.Type)
			}
			return out
		}
		none := types(tasks.Intervals{ProcessMeetings: time.Second})
		for _, typ := range []string{tasks.TypeRecordingPollSQS, tasks.TypeRecordingPollDaily,
			tasks.TypeRecordingRequeueStalled, tasks.TypeRecordingLedger, tasks.TypeRecordingReprocessFailed} {
			require.NotContains(t, none, typ)
			require.Contains(t, types(all), typ)
		}
		noSQS := types(tasks.Intervals{ProcessMeetings: time.Second, Recordings: true})
		require.NotContains(t, noSQS, tasks.TypeRecordingPollSQS)
		require.NotContains(t, noSQS, tasks.TypeRecordingPollDaily)
		require.Contains(t, noSQS, tasks.TypeRecordingLedger)
	})

	t.Run("RunNowDoesNotClashWithTicks", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p, _ := tasks.Find(tasks.Schedule(all), tasks.TypeRecordingLedger)
		now := time.Date(2026, 3, 2, 10, 10, 0, 0, time.UTC)
		tasks.EmitTick(context.Background(), b.client, p, now, zaptest.NewLogger(t))
		task, id := p.RunNowTask(now)
		_, err := b.client.Enqueue(task)
		require.NoError(t, err)
		_, err = b.client.Enqueue(task)
		require.ErrorIs(t, err, asynq.ErrTaskIDConflict, "the same run twice in one second is one run")
		infos, err := b.inspector.ListPendingTasks(tasks.QueueLow)
		require.NoError(t, err)
		require.Len(t, infos, 2)
		require.Contains(t, []string{infos[0].ID, infos[1].ID}, id)
	})
}
