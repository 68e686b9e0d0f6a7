package meeting

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Errors of the meeting rules; httpapi maps them to statuses.
var (
	ErrNotFound          = errors.New("Meeting not found")
	ErrNotActive         = errors.New("Meeting is not active")
	ErrEnded             = errors.New("Meeting has ended")
	ErrCreateInProgress  = errors.New("Meeting creation in progress, please try again")
	ErrProviderFailed    = errors.New("Video provider unavailable, please try again")
	ErrBadConnectionID   = errors.New("connection_id must be 1 to 128 characters")
	ErrAdhocAlreadyExist = errors.New("meeting: an active ad-hoc meeting already exists for the room")
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
