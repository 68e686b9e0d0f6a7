package tasks

import (
	"github.com/hibiken/asynq"
	"go.uber.org/zap"
)

// Deps are what the task handlers need.
type Deps struct {
	Platforms Platforms
	Meetings  RoomDeletedRecorder
	Processor Processor
	Presence  Poller
	Log       *zap.Logger
	// Calendar, when set, registers the ICS tasks; Queue is where the sync fan-out enqueues.
	Calendar CalendarSyncer
	Queue    Enqueuer
	// Recordings, when set, registers the recording tasks; SQS, when set, the SQS poll.
	Recordings Recordings
	SQS        SQSPoller
	// Webhooks, when set, registers the webhook inbox tasks; WebhookHealth the Daily
	// webhook health check.
	Webhooks      WebhookInbox
	WebhookHealth WebhookHealthChecker
	// Reconciler, when set, registers presence:reconcile.
	Reconciler PresenceReconciler
	// RoomHooks, when set, registers the rooms' outgoing webhook task.
	RoomHooks RoomWebhookDeliverer
	// Orphans, when set, registers the orphan provider room sweep.
	Orphans OrphanSweeper
	// Healthcheck, when set (HEALTHCHECK_URL), registers healthcheck:ping.
	Healthcheck HealthcheckPinger
}

// NewMux registers one handler per task type.
func NewMux(d Deps) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.Handle(TypeRoomDelete, RoomDeleteHandler{Platforms: d.Platforms, Store: d.Meetings, Log: d.Log})
	mux.Handle(TypeProcessMeetings, ProcessMeetingsHandler{Processor: d.Processor, Log: d.Log})
	mux.Handle(TypePresencePoll, PresencePollHandler{Poller: d.Presence})
	registerCalendar(mux, d)
	registerRecordings(mux, d)
	registerWebhooks(mux, d)
	if d.Reconciler != nil {
		mux.Handle(TypePresenceReconcile, PresenceReconcileHandler{Reconciler: d.Reconciler, Log: d.Log})
	}
	if d.RoomHooks != nil {
		mux.Handle(TypeRoomWebhook, RoomWebhookHandler{Hooks: d.RoomHooks})
	}
	registerOrphans(mux, d)
	if d.Healthcheck != nil {
		mux.Handle(TypeHealthcheckPing, HealthcheckPingHandler{Pinger: d.Healthcheck, Log: d.Log})
	}
	return mux
}
