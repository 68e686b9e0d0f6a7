package meeting

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Errors of the meeting rules. Their text is for logs; httpapi's error table holds the status
// and the words a client reads.
var (
	ErrNotFound          = errors.New("meeting: not found")
	ErrNotActive         = errors.New("meeting: not active")
	ErrEnded             = errors.New("meeting: ended")
	ErrCreateInProgress  = errors.New("meeting: creation in progress")
	ErrProviderFailed    = errors.New("meeting: video provider failed")
	ErrBadConnectionID   = errors.New("meeting: bad connection id")
	ErrAdhocAlreadyExist = errors.New("meeting: an active ad-hoc meeting already exists for the room")
	// ErrConflict marks a transaction Postgres aborted to break a deadlock or a serialization
	// conflict: nothing of it was written, and running it again may succeed.
	ErrConflict = errors.New("meeting: transaction aborted by a conflict")
)

// GoneError answers a client holding a meeting that is no longer joinable: it names the room's
// current active meeting (or none) so the client rejoins the right one.
type GoneError struct {
	Reason   error      // ErrNotActive or ErrEnded
	ActiveID *uuid.UUID // the room's current active meeting, if any
	RoomName string
}

func (e *GoneError) Error() string {
	if e.ActiveID == nil {
		return fmt.Sprintf("%v; room %s has no active meeting", e.Reason, e.RoomName)
	}
	return fmt.Sprintf("%v; the active meeting of room %s is %s", e.Reason, e.RoomName, e.ActiveID)
}

// Unwrap lets errors.Is match the reason.
func (e *GoneError) Unwrap() error { return e.Reason }
