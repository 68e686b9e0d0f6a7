package meeting

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/lease"
)

// Active is an active meeting with what the decision needs to know about it.
type Active struct {
	ID                    uuid.UUID  `db:"id"`
	RoomID                uuid.UUID  `db:"room_id"`
	Kind                  string     `db:"kind"`
	Platform              string     `db:"platform"`
	RoomName              string     `db:"room_name"`
	EndDate               time.Time  `db:"end_date"`
	EverJoined            bool       `db:"ever_joined"`
	LastParticipantLeftAt *time.Time `db:"last_participant_left_at"`
	GracePeriodMinutes    int        `db:"grace_period_minutes"`
	LiveIntents           int        `db:"live_intents"`
}

// End is one deactivation to apply. Forced ends (past the meeting's hard end) do not wait
// for join intents; the others are refused while any intent is live.
type End struct {
	ID     uuid.UUID
	Reason EndReason
	Forced bool
}

// ProcessStore is the persistence of process-meetings. Every method is one round trip except
// MeetingsEnd, one short transaction; none depends on the number of meetings.
type ProcessStore interface {
	MeetingsActiveForProcessing(ctx context.Context, now time.Time) ([]Active, error)
	MeetingsMarkPresent(ctx context.Context, ids []uuid.UUID) error
	MeetingsStartGrace(ctx context.Context, ids []uuid.UUID, now time.Time) error
	// MeetingsEnd locks the meetings' rows, re-checks is_active and live intents under the
	// locks, and deactivates those that still qualify, returning them.
	MeetingsEnd(ctx context.Context, ends []End, now time.Time) ([]Meeting, error)
	// MeetingsRoomDeletePending lists ended meetings whose provider room is neither known to be
	// deleted nor its delete parked, ended between since and olderThan.
	MeetingsRoomDeletePending(ctx context.Context, olderThan, since time.Time) ([]Meeting, error)
	// MeetingRoomDeleteRequeue claims a pending room delete for a restart, at most once per
	// lease (before); after maxRequeues restarts it parks the delete (lease.Dead).
	MeetingRoomDeleteRequeue(ctx context.Context, id uuid.UUID, before, now time.Time, maxRequeues int) (lease.Outcome, error)
	// IntentsPurge deletes intents that expired before the given time.
	IntentsPurge(ctx context.Context, before time.Time) error
	// TimelineAppend records each decision with the presence it read.
	TimelineAppend(ctx context.Context, evs ...Event) error
}

// PresenceReader reads how many participants the provider reports per meeting.
type PresenceReader interface {
	// Presence reads many meetings at once; a meeting missing from the result could not be
	// read.
	Presence(ctx context.Context, ms []Active) map[uuid.UUID]int
	// RoomsPresence reads each meeting's provider room directly, to confirm deactivations;
	// a meeting missing from the result could not be read.
	RoomsPresence(ctx context.Context, ms []Active) map[uuid.UUID]int
}

// ProcessorConfig wires process-meetings.
type ProcessorConfig struct {
	Store    ProcessStore
	Presence PresenceReader
	Jobs     Jobs
	Log      *zap.Logger
	Now      func() time.Time
	// CalendarForceClose is how long after its scheduled end a calendar meeting is closed.
	CalendarForceClose time.Duration
	// SafeguardsOff ignores intents and skips the confirmation read: only for the tests that
	// prove the safeguards matter. Never off in production.
	SafeguardsOff bool
	// Observer counts ended meetings by reason (nil: none).
	Observer Observer
	// MaxRequeues bounds the sweep's restarts of one provider room delete (SWEEP_MAX_REQUEUES,
	// default 30), one per RoomDeleteLease (default 2 min); then the delete is parked.
	MaxRequeues     int
	RoomDeleteLease time.Duration
}

// Processor is process-meetings: read presence first, decide, apply.
type Processor struct{ cfg ProcessorConfig }

// NewProcessor returns process-meetings with defaults filled in.
func NewProcessor(cfg ProcessorConfig) *Processor {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Observer == nil {
		cfg.Observer = noObserver{}
	}
	def(&cfg.CalendarForceClose, 30*time.Minute)
	def(&cfg.RoomDeleteLease, 2*time.Minute)
	if cfg.MaxRequeues <= 0 {
		cfg.MaxRequeues = 30
	}
	return &Processor{cfg: cfg}
}

// RunResult counts what one run did.
type RunResult struct {
	Active, Ended, GraceStarted, Present, PresenceUnknown, Confirmed int
}

// Run runs process-meetings once.
func (p *Processor) Run(ctx context.Context) (RunResult, error) {
	now := p.cfg.Now().UTC()
	ms, err := p.cfg.Store.MeetingsActiveForProcessing(ctx, now)
	if err != nil {
		return RunResult{}, fmt.Errorf("process-meetings: %w", err)
	}
	res := RunResult{Active: len(ms)}
	pres := p.cfg.Presence.Presence(ctx, ms)
	var present, grace []uuid.UUID
	var ends []End
	var candidates []Active
	decisions := make([]Event, 0, len(ms))
	for _, m := range ms {
		n, known := pres[m.ID]
		st := p.state(m, now, n, known)
		if !known {
			res.PresenceUnknown++
			p.cfg.Log.Warn("presence unavailable, keeping meeting", m.LogFields()...)
		}
		d := Decide(st)
		decisions = append(decisions, decisionEvent(m, st, d, now))
		switch d.Action {
		case Deactivate:
			if d.Forced {
				ends = append(ends, End{ID: m.ID, Reason: d.End, Forced: true})
			} else {
				candidates = append(candidates, m)
			}
		case StartGrace:
			grace = append(grace, m.ID)
		case ClearGrace:
			present = append(present, m.ID)
		case Keep:
			if n > 0 && known && !m.EverJoined {
				present = append(present, m.ID)
			}
		}
	}
	confirmed := p.confirm(ctx, candidates)
	res.Confirmed = len(confirmed)
	ends = append(ends, confirmed...)
	res.Present, res.GraceStarted = len(present), len(grace)
	// Decisions are observations: recorded first, so an ended meeting's timeline shows the
	// decision before the end the apply writes.
	if err := p.cfg.Store.TimelineAppend(ctx, decisions...); err != nil {
		p.cfg.Log.Warn("timeline: decisions not recorded", zap.Int("meetings", len(decisions)), zap.Error(err))
	}
	if err := p.apply(ctx, present, grace, ends, now, &res); err != nil {
		return res, fmt.Errorf("process-meetings: %w", err)
	}
	return res, nil
}

// decisionEvent is the timeline line of one decision and the presence it read (null when
// the provider could not be read).
func decisionEvent(m Active, st State, d Decision, now time.Time) Event {
	var presence any
	if st.PresenceKnown {
		presence = st.Present
	}
	detail := map[string]any{"action": d.Action.String(), "reason": d.Why, "presence": presence,
		"live_intents": st.LiveIntents}
	if d.End != "" {
		detail["end_reason"] = d.End
	}
	return NewEvent(m.ID, now, EventDecision, ActorProcessMeetings, detail)
}

func (p *Processor) state(m Active, now time.Time, present int, known bool) State {
	st := State{Now: now, Kind: m.Kind, EndDate: m.EndDate, EverJoined: m.EverJoined,
		LastParticipantLeftAt: m.LastParticipantLeftAt, GracePeriod: time.Duration(m.GracePeriodMinutes) * time.Minute,
		CalendarForceClose: p.cfg.CalendarForceClose, LiveIntents: m.LiveIntents, PresenceKnown: known, Present: present}
	if p.cfg.SafeguardsOff {
		st.LiveIntents = 0
	}
	return st
}

// confirm re-reads the provider room of each deactivation candidate (the batch read may be
// lagging or partial) and keeps only the ones confirmed empty.
func (p *Processor) confirm(ctx context.Context, cands []Active) []End {
	if p.cfg.SafeguardsOff {
		out := make([]End, len(cands))
		for i, m := range cands {
			out[i] = End{ID: m.ID, Reason: EndGraceExpired, Forced: true}
		}
		return out
	}
	counts := p.cfg.Presence.RoomsPresence(ctx, cands)
	var out []End
	for _, m := range cands {
		if n, read := counts[m.ID]; read && n == 0 {
			out = append(out, End{ID: m.ID, Reason: EndGraceExpired})
		}
	}
	return out
}

func (p *Processor) apply(ctx context.Context, present, grace []uuid.UUID, ends []End, now time.Time, res *RunResult) error {
	if len(present) > 0 {
		if err := p.cfg.Store.MeetingsMarkPresent(ctx, present); err != nil {
			return err
		}
	}
	if len(grace) > 0 {
		if err := p.cfg.Store.MeetingsStartGrace(ctx, grace, now); err != nil {
			return err
		}
	}
	if len(ends) > 0 {
		ended, err := endMeetings(ctx, p.cfg.Store, p.cfg.Jobs, p.cfg.Log, ends, now)
		if err != nil {
			return err
		}
		res.Ended = len(ended)
		for _, m := range ended {
			if m.EndedReason != nil {
				p.cfg.Observer.MeetingEnded(*m.EndedReason)
			}
		}
	}
	return p.sweep(ctx, now)
}

// sweep re-queues provider room deletions that a crash or a queue outage lost after commit.
func (p *Processor) sweep(ctx context.Context, now time.Time) error {
	pending, err := p.cfg.Store.MeetingsRoomDeletePending(ctx, now.Add(-time.Minute), now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	for _, m := range pending {
		p.requeueDelete(ctx, m, now)
	}
	// Expired intents no longer hold anything; an hour of them is kept for inspection.
	return p.cfg.Store.IntentsPurge(ctx, now.Add(-time.Hour))
}

func (p *Processor) deleteLater(ctx context.Context, m Meeting) {
	if err := p.cfg.Jobs.DeleteProviderRoom(ctx, m.ID, m.Platform, m.RoomName); err != nil {
		p.cfg.Log.Warn("queue provider room delete; the sweep retries", LogFields(m, zap.Error(err))...)
	}
}
