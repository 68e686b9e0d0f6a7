package calendar

import (
	"encoding/binary"
	"time"

	"github.com/google/uuid"
)

// A room's scheduled syncs follow the clock, not its last sync: its fetch interval is cut
// into slots, shifted by a phase drawn from the room id so that rooms spread over the
// interval, and the scheduler tick in which a new slot begins syncs the room. Due-ness needs
// no write, so an unchanged feed costs no database write. pkg/store's RoomsICSDue computes
// the same in SQL; its tests check that both agree.

// slotPhase is the room's offset in seconds within an interval of iv seconds: the id's last
// four bytes (random in UUID v4 and v7) modulo iv. In SQL:
// ('x' || right(id::text, 8))::bit(32)::bigint % ics_fetch_interval.
func slotPhase(id uuid.UUID, iv int64) int64 {
	return int64(binary.BigEndian.Uint32(id[12:])) % iv
}

// SlotDue reports whether the scheduler tick at tick, the end of a tick of length tickLen,
// is the first tick of a new slot of the room: floor((tick-phase)/interval) differs from
// floor((tick-tickLen-phase)/interval), in whole seconds.
func SlotDue(id uuid.UUID, interval time.Duration, tick time.Time, tickLen time.Duration) bool {
	iv := seconds(interval)
	p, t := slotPhase(id, iv), tick.Unix()
	return floorDiv(t-p, iv) != floorDiv(t-seconds(tickLen)-p, iv)
}

// NextSlot returns the room's first slot boundary after after: the scheduler tick that
// reaches it syncs the room, so SlotDue(tick) holds exactly when NextSlot(tick-tickLen) is
// not after tick.
func NextSlot(id uuid.UUID, interval time.Duration, after time.Time) time.Time {
	iv := seconds(interval)
	p := slotPhase(id, iv)
	k := floorDiv(after.Unix()-p, iv) + 1
	return time.Unix(p+k*iv, 0).UTC()
}

// seconds is d in whole seconds, at least one.
func seconds(d time.Duration) int64 { return max(int64(d/time.Second), 1) }

// floorDiv is a/b rounded down (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
