package calendar

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// SyncStatus is the outcome of a sync.
type SyncStatus string

// Sync outcomes, as the original's SyncStatus.
const (
	SyncSuccess   SyncStatus = "success"
	SyncUnchanged SyncStatus = "unchanged"
	SyncError     SyncStatus = "error"
	SyncSkipped   SyncStatus = "skipped"
)

// SyncResult is a sync's report, served as the original's ICSSyncResult.
type SyncResult struct {
	Status        SyncStatus `json:"status"`
	Hash          string     `json:"hash,omitempty"`
	EventsFound   int        `json:"events_found"` // occurrences in the window held in this room
	TotalEvents   int        `json:"total_events"` // occurrences in the window, any room
	EventsCreated int        `json:"events_created"`
	EventsUpdated int        `json:"events_updated"` // revived events included
	EventsDeleted int        `json:"events_deleted"`
	Error         string     `json:"error,omitempty"`
	Reason        string     `json:"reason,omitempty"`
}

// DueRooms lists the rooms whose scheduled sync is due at the scheduler tick at tick (see
// SlotDue; rooms never synced or whose last sync failed are due at every tick). The scheduler
// enqueues one sync task per room so a slow feed delays no other room.
func (s *Service) DueRooms(ctx context.Context, tick time.Time) ([]uuid.UUID, error) {
	ids, err := s.store.RoomsICSDue(ctx, tick, s.cfg.SyncTick)
	if err != nil {
		return nil, fmt.Errorf("calendar.DueRooms: %w", err)
	}
	return ids, nil
}

// SyncRoom fetches the room's feed and brings its calendar events in step with it. A
// scheduled sync (force false) is skipped when ICS is off; whether the room is due was decided
// by DueRooms, and the task id per room and tick keeps a tick from syncing it twice. A manual
// sync (force true) is never throttled and returns ErrNotConfigured when ICS is off. A feed that cannot be fetched or parsed is not a Go error: the result has status
// "error" and the reason, which is also stored on the room; the events are kept.
func (s *Service) SyncRoom(ctx context.Context, roomID uuid.UUID, force bool) (SyncResult, error) {
	res, err := s.syncRoom(ctx, roomID, force)
	if err != nil {
		return SyncResult{}, fmt.Errorf("calendar.SyncRoom %s: %w", roomID, err)
	}
	level := zap.InfoLevel
	if res.Status == SyncSkipped {
		level = zap.DebugLevel // every scheduler tick skips most rooms
	}
	s.log.Log(level, "ics sync", zap.Stringer("room_id", roomID), zap.String("status", string(res.Status)),
		zap.Int("found", res.EventsFound), zap.Int("created", res.EventsCreated),
		zap.Int("updated", res.EventsUpdated), zap.Int("deleted", res.EventsDeleted),
		zap.String("error", res.Error), zap.String("reason", res.Reason))
	return res, nil
}

func (s *Service) syncRoom(ctx context.Context, roomID uuid.UUID, force bool) (SyncResult, error) {
	room, err := s.store.RoomICS(ctx, roomID)
	if err != nil {
		return SyncResult{}, err
	}
	now := s.now()
	switch {
	case !room.configured() && force:
		return SyncResult{}, ErrNotConfigured
	case !room.configured():
		return SyncResult{Status: SyncSkipped, Reason: "ICS not configured"}, nil
	}
	refresh := s.refreshDue(room, now)
	prev := Validators{ETag: room.LastETag, LastModified: room.LastModified}
	if refresh {
		prev = Validators{} // a 304 would leave nothing to re-apply
	}
	feed, err := s.fetcher.Fetch(ctx, room.URL, prev)
	if err != nil {
		return s.fail(ctx, room, err, fetchReason(err))
	}
	mark := SyncMark{At: now, ETag: feed.ETag, LastModified: feed.LastModified, Hash: contentHash(feed.Body)}
	if feed.NotModified {
		mark = SyncMark{At: now, ETag: cmp.Or(feed.ETag, room.LastETag), LastModified: cmp.Or(feed.LastModified, room.LastModified), Hash: room.LastHash}
	}
	if !refresh && mark.Hash == room.LastHash {
		return s.unchanged(ctx, room, mark)
	}
	res, events, err := s.extract(room, feed.Body, now)
	if err != nil {
		return s.fail(ctx, room, err, err.Error())
	}
	return s.apply(ctx, room.ID, mark, res, events)
}

// refreshDue reports whether the feed must be applied even if unchanged: the window slides
// with time, so events of an unchanged feed enter it. Applying at least every fifth of the
// lookahead keeps every event in the database long before its meeting is due.
func (s *Service) refreshDue(room RoomICS, now time.Time) bool {
	return room.LastApplied == nil || now.Sub(*room.LastApplied) >= s.cfg.Lookahead/5
}

// extract parses the feed and keeps the occurrences of the window held in the room.
func (s *Service) extract(room RoomICS, body []byte, now time.Time) (SyncResult, []Event, error) {
	p, err := parseFeed(body)
	if err != nil {
		return SyncResult{}, nil, err
	}
	if len(p.unknownZones) > 0 {
		s.log.Warn("ics: unknown time zones read as UTC", zap.Stringer("room_id", room.ID), zap.Strings("tzid", p.unknownZones))
	}
	all := expand(p.events, s.window(now))
	mine := roomEvents(all, RoomURL(s.cfg.BaseURL, room.Name))
	return SyncResult{EventsFound: len(mine), TotalEvents: len(all)}, mine, nil
}

// apply writes the difference between the feed and the stored events under the room lock.
// A concurrent sync that applied the same feed first turns this one into "unchanged".
func (s *Service) apply(ctx context.Context, roomID uuid.UUID, mark SyncMark, res SyncResult, events []Event) (SyncResult, error) {
	since := s.window(mark.At).From
	err := s.store.InTx(ctx, func(tx Store) error {
		locked, err := tx.RoomICSLock(ctx, roomID)
		if err != nil {
			return err
		}
		if locked.LastHash == mark.Hash && !s.refreshDue(locked, mark.At) {
			res = SyncResult{Status: SyncUnchanged, Hash: mark.Hash}
			return nil
		}
		existing, err := tx.CalendarEventsForSync(ctx, roomID, since, uids(events))
		if err != nil {
			return err
		}
		p := planSync(existing, events, roomID, since, uuid.New)
		if err := p.write(ctx, tx, roomID, mark.At); err != nil {
			return err
		}
		res.Status, res.Hash = SyncSuccess, mark.Hash
		res.EventsCreated, res.EventsUpdated, res.EventsDeleted = p.created, p.updated, len(p.deletes)
		mark.Status, mark.Applied = SyncSuccess, true
		return tx.RoomICSSynced(ctx, roomID, mark)
	})
	if err != nil {
		return SyncResult{}, err
	}
	return res, nil
}

// unchanged handles a fetch that brought nothing new. No event is written, and the room only
// when its stored state changes (new validators, an error to clear): an unchanged re-sync of
// a room in step writes nothing at all.
func (s *Service) unchanged(ctx context.Context, room RoomICS, mark SyncMark) (SyncResult, error) {
	res := SyncResult{Status: SyncUnchanged, Hash: mark.Hash}
	if room.current(mark) {
		return res, nil
	}
	mark.Status = SyncUnchanged
	if err := s.store.RoomICSSynced(ctx, room.ID, mark); err != nil {
		return SyncResult{}, err
	}
	return res, nil
}

// fail records a feed that could not be fetched or parsed, with the reason its owner is
// shown, unless the room already records this very failure (the cause, with its details, goes
// to the log). The last sync time and validators are kept; a failed room is due at every
// tick, so the next tick tries again.
func (s *Service) fail(ctx context.Context, room RoomICS, cause error, reason string) (SyncResult, error) {
	if room.LastStatus == string(SyncError) && room.LastError == reason {
		return SyncResult{Status: SyncError, Error: reason}, nil
	}
	s.log.Warn("ics sync failed", zap.Stringer("room_id", room.ID), zap.String("reason", reason), zap.Error(cause))
	if err := s.store.RoomICSFailed(ctx, room.ID, reason); err != nil {
		return SyncResult{}, fmt.Errorf("record failure %q: %w", reason, err)
	}
	return SyncResult{Status: SyncError, Error: reason}, nil
}

func contentHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func uids(events []Event) []string {
	seen := make(map[string]bool, len(events))
	out := make([]string, 0, len(events))
	for _, e := range events {
		if !seen[e.UID] {
			seen[e.UID] = true
			out = append(out, e.UID)
		}
	}
	return out
}
