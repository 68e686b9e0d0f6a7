package tasks

import (
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Recording job periods. The nightly retry runs at 05:00 UTC, as the original does.
const (
	dailyPollEvery      = time.Minute
	requeueStalledEvery = time.Minute // the lease sweep; cheap (two indexed queries)
	ledgerEvery         = 10 * time.Minute
	nightlyAt           = 5 * time.Hour // after midnight UTC
)

// NextTick is the first tick of p strictly after now: the next multiple of Every after the
// zero time (midnight UTC, so a day-long Every lands on UTC midnights), shifted by Offset.
func (p Periodic) NextTick(now time.Time) time.Time {
	return now.Add(-p.Offset).Truncate(p.Every).Add(p.Every).Add(p.Offset)
}

// recordingPeriodic is the recording part of the table; entries whose back end is not
// configured are left out, so no tick waits for a handler no worker registers.
func recordingPeriodic(iv Intervals) []Periodic {
	var out []Periodic
	if iv.RecordingSQSPoll > 0 {
		// MaxRetry 0: the next tick is the retry, and a message whose enqueue failed comes back.
		out = append(out, Periodic{Type: TypeRecordingPollSQS, Every: iv.RecordingSQSPoll, Queue: QueueDefault,
			Timeout: 2 * time.Minute})
	}
	if iv.RecordingDailyPoll {
		out = append(out, Periodic{Type: TypeRecordingPollDaily, Every: dailyPollEvery, Queue: QueueDefault,
			Timeout: 5 * time.Minute})
	}
	if !iv.Recordings {
		return out
	}
	return append(out,
		Periodic{Type: TypeRecordingRequeueStalled, Every: requeueStalledEvery, Queue: QueueLow, Timeout: 2 * time.Minute},
		Periodic{Type: TypeRecordingLedger, Every: ledgerEvery, Queue: QueueLow, Timeout: 2 * time.Minute},
		Periodic{Type: TypeRecordingReprocessFailed, Every: 24 * time.Hour, Offset: nightlyAt, Queue: QueueLow,
			Timeout: time.Hour, MaxRetry: 2},
	)
}

// Find returns the entry of table with the given task type.
func Find(table []Periodic, typ string) (Periodic, bool) {
	for _, p := range table {
		if p.Type == typ {
			return p, true
		}
	}
	return Periodic{}, false
}

// RunNowTask is a periodic job to run at once, outside the schedule (reflectorctl run). Its
// id <type>:run:<unix seconds> never clashes with a scheduled tick's, and two requests in the
// same second make one run.
func (p Periodic) RunNowTask(now time.Time) (*asynq.Task, string) {
	unix := now.Unix()
	id := fmt.Sprintf("%s:run:%d", p.Type, unix)
	return asynq.NewTask(p.Type, fmt.Appendf(nil, `{"tick":%d}`, unix),
		asynq.TaskID(id), asynq.Retention(time.Hour),
		asynq.Queue(p.Queue), asynq.Timeout(p.Timeout), asynq.MaxRetry(p.MaxRetry)), id
}
