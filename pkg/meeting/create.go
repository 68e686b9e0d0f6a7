package meeting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/room"
)

// How an ad-hoc meeting is created without holding a lock during the provider call:
//
//  1. Outside any transaction, read the ordinal the room's next ad-hoc meeting takes (seq).
//     Its id is AdhocID(room, seq): every concurrent creator computes the same one.
//  2. Outside any transaction, create-or-adopt the provider room. Its name is derived from
//     the meeting id and the current naming epoch, so concurrent creators (here one per
//     process, see flights) adopt one provider room instead of making several.
//  3. In a short transaction holding the room row lock: if the room meanwhile got a joinable
//     meeting, keep that one; if its seq moved on, retry; else insert the meeting.
//
// A crash between 2 and 3 leaves an unused provider room: the next creator of the same seq and
// epoch adopts it, and otherwise the orphan sweep deletes it. The sweep only deletes rooms
// older than RoomMargin that no meeting row names, and a creator only inserts while its
// epoch is younger than RoomMargin/2, so the sweep never deletes a room a creator is about
// to hand out. So a creator whose epoch got too old gives its room up to the sweep instead of
// deleting it (another process, its clock behind ours, may still adopt it); a creator deletes
// its room at once only when the seq is taken for good, and the room:delete task skips a room
// that an active meeting names anyway. Everyone is handed the meeting row the transaction
// settled on, so users of one room are never split across provider rooms, whatever the
// provider did.

// maxCreateAttempts bounds the handout/create rounds of one request; createTimeout bounds a
// creation shared by several requests (detached from the one that started it).
const (
	maxCreateAttempts = 4
	createTimeout     = time.Minute
)

// AdhocID is the id of a room's seq-th ad-hoc meeting.
func AdhocID(roomID uuid.UUID, seq int64) uuid.UUID {
	return uuid.NewSHA1(roomID, fmt.Appendf(nil, "adhoc/%d", seq))
}

// epoch numbers the naming window t falls in (a quarter of RoomMargin).
func (s *Service) epoch(t time.Time) int64 { return t.UnixNano() / int64(s.cfg.RoomMargin/4) }

// stale reports whether a provider room named in epoch e may already look orphaned to the
// sweep, so it must not be handed out any more.
func (s *Service) stale(e int64) bool {
	start := time.Unix(0, e*int64(s.cfg.RoomMargin/4))
	return s.cfg.Now().After(start.Add(s.cfg.RoomMargin / 2))
}

// ensureAdhoc makes the room have a joinable ad-hoc meeting (or finds that it has one); who
// is the joiner the creation is recorded for. Concurrent calls for the same meeting share one
// creation.
func (s *Service) ensureAdhoc(ctx context.Context, r room.Room, who string) error {
	seq, joinable, err := s.cfg.Store.MeetingAdhocNextSeq(ctx, r.ID, s.cfg.Now().UTC())
	if err != nil || joinable { // made since the handout looked: hand it out
		return err
	}
	e := s.epoch(s.cfg.Now())
	return s.flights.do(ctx, fmt.Sprintf("%s/%d/%d", r.ID, seq, e), func(ctx context.Context) error {
		return s.createAdhoc(ctx, r, seq, e, who)
	})
}

// adhocOutcome is what the locked step of createAdhoc settled on.
type adhocOutcome struct {
	expired, orphan *Meeting
	inserted        bool
}

// createAdhoc creates the room's seq-th ad-hoc meeting: provider room first, row second.
// It returns nil when the caller should look for the room's meeting again.
func (s *Service) createAdhoc(ctx context.Context, r room.Room, seq, epoch int64, who string) error {
	if err := s.allowCreate(r); err != nil {
		return err
	}
	// Look again: a flight of this process that committed the meeting and finished after the
	// caller's read is visible now, so a process makes one provider call per meeting.
	if next, joinable, err := s.cfg.Store.MeetingAdhocNextSeq(ctx, r.ID, s.cfg.Now().UTC()); err != nil || joinable || next != seq {
		return err
	}
	m := s.newMeeting(r, KindAdhoc, s.cfg.Now().UTC())
	m.ID, m.AdhocSeq = AdhocID(r.ID, seq), &seq
	if err := s.provision(ctx, r, &m, fmt.Sprintf("%s/%d", m.ID, epoch)); err != nil {
		return err
	}
	var o adhocOutcome
	err := s.cfg.Store.InTx(ctx, func(tx Store) error {
		o = adhocOutcome{}
		return s.settleAdhoc(ctx, tx, r, m, epoch, who, &o)
	})
	if errors.Is(err, ErrAdhocAlreadyExist) {
		err = nil // a creator that bypassed the lock won; look again
	}
	if err != nil {
		return err
	}
	if o.expired != nil {
		s.cfg.Observer.MeetingEnded(string(EndReplaced))
		s.cfg.Log.Info("meeting ended", LogFields(*o.expired, zap.String("reason", string(EndReplaced)))...)
		s.deleteRoomLater(ctx, *o.expired)
	}
	if o.inserted {
		s.cfg.Observer.MeetingCreated(m.Kind, m.Platform)
		s.cfg.Log.Info("meeting created", LogFields(m, zap.String("kind", m.Kind), zap.String("by", who))...)
	}
	if o.orphan != nil {
		s.discard(ctx, *o.orphan)
	}
	return nil
}

// settleAdhoc is createAdhoc's step under the room lock: keep a joinable meeting the room got
// meanwhile, give up if the seq moved on or the provider room may look orphaned, else end an
// expired meeting in the way and insert m with its creation on the timeline.
func (s *Service) settleAdhoc(ctx context.Context, tx Store, r room.Room, m Meeting, epoch int64, who string, o *adhocOutcome) error {
	if _, err := s.lockRoom(ctx, tx, r.Name); err != nil {
		return err
	}
	now := s.cfg.Now().UTC()
	cur, err := tx.MeetingActiveAdhoc(ctx, r.ID)
	if err != nil {
		return err
	}
	if cur != nil && cur.Joinable(now) {
		if cur.RoomName != m.RoomName {
			o.orphan = &m
		}
		return nil
	}
	next, _, err := tx.MeetingAdhocNextSeq(ctx, r.ID, now)
	if err != nil {
		return err
	}
	if next != *m.AdhocSeq {
		o.orphan = &m // seq taken: no creator will name this provider room again
		return nil
	}
	if s.stale(epoch) {
		// The sweep may take the room any time now: never hand it out, and leave it to the
		// sweep: a creator whose clock runs behind ours may still adopt it and commit.
		return nil
	}
	if cur != nil { // past its end date: close it so the room can have a new one
		if err := s.endExpired(ctx, tx, *cur, who, now); err != nil {
			return err
		}
		o.expired = cur
	}
	if err := tx.MeetingInsert(ctx, m); err != nil {
		return err
	}
	o.inserted = true
	return tx.TimelineAppend(ctx, createdEvents(m, who, "get-or-create", now)...)
}

// createExtra creates a meeting beside the room's own (allow_duplicated): provider room
// first, then, under the room lock, the row, the caller's intent and the timeline.
func (s *Service) createExtra(ctx context.Context, roomName string, in Intent, now time.Time) (Handout, error) {
	r, err := s.cfg.Store.RoomByName(ctx, roomName)
	if err != nil {
		return Handout{}, err
	}
	if err := s.extraCapped(ctx, s.cfg.Store, r, now); err != nil {
		return Handout{}, err
	}
	if err := s.allowCreate(r); err != nil {
		return Handout{}, err
	}
	m := s.newMeeting(r, KindExtra, now)
	e := s.epoch(s.cfg.Now())
	if err := s.provision(ctx, r, &m, m.ID.String()); err != nil {
		return Handout{}, err
	}
	if s.stale(e) {
		s.discard(ctx, m)
		return Handout{}, ErrCreateInProgress
	}
	in.MeetingID = m.ID
	err = s.cfg.Store.InTx(ctx, func(tx Store) error {
		if _, err := s.lockRoom(ctx, tx, r.Name); err != nil {
			return err
		}
		if err := s.extraCapped(ctx, tx, r, now); err != nil {
			return err
		}
		if err := tx.MeetingInsert(ctx, m); err != nil {
			return err
		}
		if err := tx.IntentUpsert(ctx, in); err != nil {
			return err
		}
		return tx.TimelineAppend(ctx, append(createdEvents(m, actor(in.UserID), "allow-duplicated", now),
			handoutEvent(m.ID, in, "created", now))...)
	})
	if err != nil {
		s.discard(ctx, m)
		return Handout{}, err
	}
	s.cfg.Observer.MeetingCreated(m.Kind, m.Platform)
	s.cfg.Observer.Handout(true)
	s.cfg.Log.Info("meeting created", LogFields(m, zap.String("kind", m.Kind), zap.String("by", actor(in.UserID)))...)
	return Handout{Room: r, Meeting: m, ConnectionID: in.ConnectionID}, nil
}

// discard queues the deletion of a provider room made for m that no meeting row will name.
// The task is keyed by the provider room, not by m.ID, which may be a live meeting's.
func (s *Service) discard(ctx context.Context, m Meeting) {
	m.ID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("provider-room:"+m.Platform+"/"+m.RoomName))
	s.deleteRoomLater(ctx, m)
}
