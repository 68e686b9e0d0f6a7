package meeting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
)

// OrphanStore is what the orphan sweep reads.
type OrphanStore interface {
	// ProviderRoomsOwned returns which of names a meeting of platform still owns: an active
	// meeting, or an ended one whose provider room delete is still pending.
	ProviderRoomsOwned(ctx context.Context, platform string, names []string) (map[string]bool, error)
}

// PlatformSet is every configured provider.
type PlatformSet interface {
	Platforms
	Names() []string
}

// OrphanSweeper deletes provider rooms that no meeting owns: what a crash between creating a
// provider room and committing its meeting leaves behind (see create.go). It lists each
// provider's rooms named the way this service names them, and deletes the ones older than
// Margin that no meeting owns, at most MaxDeletes per provider and run, through the
// clients' rate limiters. It assumes the provider account belongs to this deployment alone.
type OrphanSweeper struct {
	Store     OrphanStore
	Platforms PlatformSet
	Log       *zap.Logger
	Now       func() time.Time
	// Margin must equal the API's meeting.Config.RoomMargin (PROVIDER_ROOM_SWEEP_MARGIN).
	Margin     time.Duration
	MaxPages   int // provider list pages read per run; default 10 (1,000 Daily rooms)
	MaxDeletes int // default 50
}

// Sweep runs once over every provider that can list its rooms and returns how many rooms it
// deleted.
func (o OrphanSweeper) Sweep(ctx context.Context) (int, error) {
	var total int
	var errs []error
	for _, name := range o.Platforms.Names() {
		n, err := o.sweepPlatform(ctx, name)
		total += n
		if err != nil {
			errs = append(errs, fmt.Errorf("meeting.OrphanSweeper %s: %w", name, err))
		}
	}
	return total, errors.Join(errs...)
}

func (o OrphanSweeper) sweepPlatform(ctx context.Context, name string) (int, error) {
	c, err := o.Platforms.Get(name)
	if err != nil {
		return 0, err
	}
	lister, ok := c.(platform.RoomLister)
	if !ok {
		return 0, nil
	}
	rooms, err := lister.ListRooms(ctx, def0(o.MaxPages, 10))
	if err != nil {
		return 0, err
	}
	old := o.olderThanMargin(rooms)
	if len(old) == 0 {
		return 0, nil
	}
	names := make([]string, len(old))
	for i, r := range old {
		names[i] = r.Name
	}
	owned, err := o.Store.ProviderRoomsOwned(ctx, name, names)
	if err != nil {
		return 0, err
	}
	return o.deleteUnowned(ctx, c, old, owned)
}

func (o OrphanSweeper) olderThanMargin(rooms []platform.ProviderRoom) []platform.ProviderRoom {
	margin := o.Margin
	if margin <= 0 {
		margin = DefaultRoomMargin
	}
	cutoff := o.now().Add(-margin)
	var old []platform.ProviderRoom
	for _, r := range rooms {
		if r.CreatedAt.Before(cutoff) {
			old = append(old, r)
		}
	}
	return old
}

func (o OrphanSweeper) deleteUnowned(ctx context.Context, c platform.Client, rooms []platform.ProviderRoom, owned map[string]bool) (int, error) {
	n := 0
	for _, r := range rooms {
		if owned[r.Name] {
			continue
		}
		if n == def0(o.MaxDeletes, 50) {
			break // the next run continues
		}
		if err := c.DeleteRoom(ctx, r.Ref); err != nil {
			return n, err
		}
		n++
		o.log().Info("orphan provider room deleted", zap.String("platform", c.Name()),
			zap.String("room_name", r.Name), zap.Time("created_at", r.CreatedAt))
	}
	return n, nil
}

func (o OrphanSweeper) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o OrphanSweeper) log() *zap.Logger {
	if o.Log == nil {
		return zap.NewNop()
	}
	return o.Log
}

func def0(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}
