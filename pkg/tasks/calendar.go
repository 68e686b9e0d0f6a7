package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/calendar"
)

// Calendar task types.
const (
	// TypeICSSyncDue is the periodic fan-out: it lists the rooms whose feed is due and queues
	// one TypeICSSyncRoom per room.
	TypeICSSyncDue = "ics:sync_due"
	// TypeICSSyncRoom syncs one room's feed, so a slow feed delays no other room.
	TypeICSSyncRoom = "ics:sync_room"
	// TypeICSCreateUpcoming creates the meetings of calendar events about to start.
	TypeICSCreateUpcoming = "ics:create_upcoming"
)

// icsRoomRetention keeps a room sync task's id after it ran.
const icsRoomRetention = 10 * time.Minute

// ICSCreateUpcomingEvery is the period of TypeICSCreateUpcoming, as the original's 30 s.
const ICSCreateUpcomingEvery = 30 * time.Second

// CalendarSyncer is the part of the calendar service the calendar tasks call.
type CalendarSyncer interface {
	DueRooms(ctx context.Context, tick time.Time) ([]uuid.UUID, error)
	SyncRoom(ctx context.Context, roomID uuid.UUID, force bool) (calendar.SyncResult, error)
	CreateUpcoming(ctx context.Context) error
}

// ICSSyncRoomPayload asks for one room's feed to be synced; Tick is the scheduler tick that
// queued it (unix seconds) and part of the task id.
type ICSSyncRoomPayload struct {
	RoomID uuid.UUID `json:"room_id"`
	Tick   int64     `json:"tick"`
}

// NewICSSyncRoomTask syncs one room. Its id names the room and the tick, so a retried fan-out
// (or a second scheduler's) queues nothing twice, while the next tick may queue the room again.
// The id is kept icsRoomRetention after the task ran: longer than a fan-out takes to be
// retried, so the same tick cannot queue the room again.
func NewICSSyncRoomTask(p ICSSyncRoomPayload) (*asynq.Task, error) {
	return newTask(TypeICSSyncRoom, p, asynq.TaskID(fmt.Sprintf("%s:%s:%d", TypeICSSyncRoom, p.RoomID, p.Tick)),
		asynq.Retention(icsRoomRetention), asynq.MaxRetry(2), asynq.Timeout(2*time.Minute), asynq.Queue(QueueDefault))
}

// ICSSyncDueHandler runs TypeICSSyncDue: one TypeICSSyncRoom task per room due at the
// payload's tick. Due-ness follows from the tick alone, so a retried fan-out lists the same
// rooms and a late one still queues the rooms of its tick.
type ICSSyncDueHandler struct {
	Calendar CalendarSyncer
	Queue    Enqueuer
	Log      *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h ICSSyncDueHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p TickPayload // every periodic tick has the same {"tick": unix} payload
	if err := decode(t, &p); err != nil {
		return err
	}
	ids, err := h.Calendar.DueRooms(ctx, time.Unix(p.Tick, 0)) // due-ness is the tick's, not this run's
	if err != nil {
		return fmt.Errorf("%s: %w", TypeICSSyncDue, err)
	}
	queued := 0
	var errs []error
	for _, id := range ids {
		ok, err := h.enqueue(ctx, ICSSyncRoomPayload{RoomID: id, Tick: p.Tick})
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			queued++
		}
	}
	h.Log.Debug("ics sync due", zap.Int64("tick", p.Tick), zap.Int("due", len(ids)), zap.Int("queued", queued))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s: %w", TypeICSSyncDue, err) // a retry re-queues only the missing rooms
	}
	return nil
}

// enqueue queues one room's sync; false without error when this tick already queued it.
func (h ICSSyncDueHandler) enqueue(ctx context.Context, p ICSSyncRoomPayload) (bool, error) {
	task, err := NewICSSyncRoomTask(p)
	if err != nil {
		return false, err
	}
	_, err = h.Queue.EnqueueContext(ctx, task)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue sync of room %s: %w", p.RoomID, err)
	}
	return true, nil
}

// ICSSyncRoomHandler runs TypeICSSyncRoom. A feed that fails is not a task failure: the
// service records the error on the room and the next tick tries again.
type ICSSyncRoomHandler struct {
	Calendar CalendarSyncer
	Log      *zap.Logger
}

// ProcessTask implements asynq.Handler.
func (h ICSSyncRoomHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p ICSSyncRoomPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	_, err := h.Calendar.SyncRoom(ctx, p.RoomID, false)
	if errors.Is(err, calendar.ErrRoomNotFound) {
		h.Log.Info("ics sync: room gone", zap.Stringer("room_id", p.RoomID))
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", TypeICSSyncRoom, p.RoomID, err)
	}
	return nil
}

// ICSCreateUpcomingHandler runs TypeICSCreateUpcoming. A slot that fails is retried by the
// next tick, so the periodic entry does not retry the task.
type ICSCreateUpcomingHandler struct{ Calendar CalendarSyncer }

// ProcessTask implements asynq.Handler.
func (h ICSCreateUpcomingHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p TickPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	if err := h.Calendar.CreateUpcoming(ctx); err != nil {
		return fmt.Errorf("%s: %w", TypeICSCreateUpcoming, err)
	}
	return nil
}

// calendarPeriodic is the calendar part of the scheduler's table; a zero interval leaves its
// entry out.
func calendarPeriodic(iv Intervals) []Periodic {
	var out []Periodic
	if iv.ICSSync > 0 {
		out = append(out, Periodic{Type: TypeICSSyncDue, Every: iv.ICSSync, Queue: QueueDefault, Timeout: time.Minute, MaxRetry: 2})
	}
	if iv.ICSCreateUpcoming > 0 {
		out = append(out, Periodic{Type: TypeICSCreateUpcoming, Every: iv.ICSCreateUpcoming, Queue: QueueCritical,
			Timeout: 2 * time.Minute, MaxRetry: 0})
	}
	return out
}

// registerCalendar adds the calendar handlers to mux when the worker has a calendar service.
func registerCalendar(mux *asynq.ServeMux, d Deps) {
	if d.Calendar == nil {
		return
	}
	mux.Handle(TypeICSSyncDue, ICSSyncDueHandler{Calendar: d.Calendar, Queue: d.Queue, Log: d.Log})
	mux.Handle(TypeICSSyncRoom, ICSSyncRoomHandler{Calendar: d.Calendar, Log: d.Log})
	mux.Handle(TypeICSCreateUpcoming, ICSCreateUpcomingHandler{Calendar: d.Calendar})
}
