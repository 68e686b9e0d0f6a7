// Package presence reads who is in each provider room: in bulk for process-meetings (one
// domain-wide call for Daily), per room to confirm a deactivation, and per meeting to keep
// participant sessions and num_clients in step with the provider.
package presence

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/redact"
)

// Platforms finds a provider client by name.
type Platforms interface {
	Get(name string) (platform.Client, error)
}

// Observer counts presence reads by platform and outcome: ok, unknown (the read failed, so
// the meetings are kept) or rate_limited (metrics.Metrics implements it).
type Observer interface {
	PresenceRead(platform, outcome string)
}

// Reader implements meeting.PresenceReader over the provider clients.
type Reader struct {
	Platforms   Platforms
	Log         *zap.Logger
	Concurrency int      // per-room reads in flight for providers without a bulk endpoint
	Observer    Observer // nil: reads are not counted
}

// observe counts one read of platformName.
func (r Reader) observe(platformName string, err error) {
	if r.Observer == nil {
		return
	}
	switch {
	case err == nil:
		r.Observer.PresenceRead(platformName, "ok")
	case errors.Is(err, platform.ErrRateLimited):
		r.Observer.PresenceRead(platformName, "rate_limited")
	default:
		r.Observer.PresenceRead(platformName, "unknown")
	}
}

// Presence reads every meeting's participant count. Providers with a domain-wide endpoint are
// read with one call; others room by room. Meetings whose provider could not be read are left
// out, so the caller keeps them.
func (r Reader) Presence(ctx context.Context, ms []meeting.Active) map[uuid.UUID]int {
	byPlatform := map[string][]meeting.Active{}
	for _, m := range ms {
		byPlatform[m.Platform] = append(byPlatform[m.Platform], m)
	}
	out := make(map[uuid.UUID]int, len(ms))
	for name, group := range byPlatform {
		c, err := r.Platforms.Get(name)
		if err != nil {
			r.Log.Warn("presence: unknown platform", zap.String("platform", name), zap.Error(err))
			continue
		}
		if dp, ok := c.(platform.DomainPresenceReader); ok {
			r.domain(ctx, dp, group, out)
			continue
		}
		maps.Copy(out, r.RoomsPresence(ctx, group))
	}
	return out
}

func (r Reader) domain(ctx context.Context, dp platform.DomainPresenceReader, ms []meeting.Active, out map[uuid.UUID]int) {
	rooms, err := dp.DomainPresence(ctx)
	r.observe(ms[0].Platform, err)
	if err != nil {
		r.Log.Warn("presence: domain read failed, keeping meetings", zap.Int("meetings", len(ms)), zap.Error(err))
		return
	}
	for _, m := range ms {
		out[m.ID] = len(rooms[m.RoomName])
	}
}

// RoomsPresence reads each meeting's provider room directly, with bounded concurrency; a
// meeting whose room could not be read is left out of the result.
func (r Reader) RoomsPresence(ctx context.Context, ms []meeting.Active) map[uuid.UUID]int {
	out := make(map[uuid.UUID]int, len(ms))
	var mu sync.Mutex
	sem := make(chan struct{}, max(r.Concurrency, 1))
	var wg sync.WaitGroup
	for _, m := range ms {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			n, err := r.RoomPresence(ctx, m)
			r.observe(m.Platform, err)
			if err != nil {
				r.Log.Warn("presence: room read failed, keeping meeting", m.LogFields(zap.Error(err))...)
				return
			}
			mu.Lock()
			out[m.ID] = n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// RoomPresence reads one provider room. A room the provider does not know has nobody in it:
// that is a definite answer, unlike a failed read.
func (r Reader) RoomPresence(ctx context.Context, m meeting.Active) (int, error) {
	s, err := Read(ctx, r.Platforms, m.Platform, m.RoomName)
	if errors.Is(err, platform.ErrNotFound) {
		return 0, nil
	}
	return len(s), err
}

// Read returns the sessions present in a provider room: from the presence endpoint where the
// provider has one, else the open sessions of its session history.
func Read(ctx context.Context, ps Platforms, platformName, roomName string) ([]platform.Session, error) {
	c, err := ps.Get(platformName)
	if err != nil {
		return nil, err
	}
	if pr, ok := c.(platform.PresenceReader); ok {
		return pr.RoomPresence(ctx, roomName)
	}
	all, err := c.RoomSessions(ctx, roomName)
	if err != nil {
		return nil, fmt.Errorf("presence %s: %w", roomName, err)
	}
	var open []platform.Session
	for _, s := range all {
		if s.LeftAt == nil {
			open = append(open, s)
		}
	}
	return open, nil
}

// Store is the persistence of the presence poll.
type Store interface {
	MeetingByID(ctx context.Context, id uuid.UUID) (meeting.Meeting, error)
	SessionsSync(ctx context.Context, m meeting.Meeting, present []platform.Session, now time.Time) (int, error)
	TimelineAppend(ctx context.Context, evs ...meeting.Event) error
}

// Poller keeps one meeting's participant sessions in step with the provider.
type Poller struct {
	Store     Store
	Platforms Platforms
	Log       *zap.Logger
	Now       func() time.Time
}

// Poll reads the meeting's presence and syncs its sessions. An ended meeting is left alone.
func (p Poller) Poll(ctx context.Context, id uuid.UUID) error {
	m, err := p.Store.MeetingByID(ctx, id)
	if err != nil {
		return fmt.Errorf("presence.Poll %s: %w", id, err)
	}
	if !m.IsActive || m.RoomName == "" {
		return nil
	}
	present, err := Read(ctx, p.Platforms, m.Platform, m.RoomName)
	if err != nil {
		p.timeline(ctx, m, map[string]any{"result": "unknown", "error": redact.Text(err.Error())})
		return fmt.Errorf("presence.Poll %s: %w", id, err)
	}
	n, err := p.Store.SessionsSync(ctx, m, present, p.Now().UTC())
	if err != nil {
		return fmt.Errorf("presence.Poll %s: %w", id, err)
	}
	p.timeline(ctx, m, map[string]any{"result": "ok", "present": len(present), "num_clients": n})
	p.Log.Debug("presence polled", meeting.LogFields(m, zap.Int("num_clients", n))...)
	return nil
}

// timeline records a presence read and its result on the meeting's timeline. A read is an
// observation, not a change: it is appended on its own, and a failed append is only logged
// (the sessions it changed carry their own joined and left rows).
func (p Poller) timeline(ctx context.Context, m meeting.Meeting, detail map[string]any) {
	detail["via"] = "presence:poll"
	ev := meeting.NewEvent(m.ID, p.Now().UTC(), meeting.EventPresenceRead, meeting.ActorWorker, detail)
	if err := p.Store.TimelineAppend(ctx, ev); err != nil {
		p.Log.Warn("timeline presence read", meeting.LogFields(m, zap.Error(err))...)
	}
}
