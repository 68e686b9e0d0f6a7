package recording

import (
	"errors"
	"fmt"
)

// Errors of the recording flow. The store returns ErrNotFound for a missing row.
var (
	ErrNotFound       = errors.New("recording: not found")
	ErrStatusConflict = errors.New("recording: status changed concurrently")
	ErrAudioDeleted   = errors.New("recording: audio was deleted after consent was refused")
	ErrInProgress     = errors.New("recording: transcript is being processed")
	ErrAlreadyDone    = errors.New("recording: transcript already processed")
	// ErrPermanent marks failures a retry cannot fix (404, no audio stream, truncated file).
	// The task layer maps it to asynq.SkipRetry; the recording is already marked failed.
	ErrPermanent = errors.New("recording: permanent failure")
)

// permanentError wraps a cause so that errors.Is(err, ErrPermanent) holds and the cause stays
// reachable.
type permanentError struct{ err error }

func (e *permanentError) Error() string        { return e.err.Error() }
func (e *permanentError) Unwrap() error        { return e.err }
func (e *permanentError) Is(target error) bool { return target == ErrPermanent }

// Permanent marks err as one a retry cannot fix. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil || errors.Is(err, ErrPermanent) {
		return err
	}
	return &permanentError{err: err}
}

// permanentf is Permanent(fmt.Errorf(...)).
func permanentf(format string, args ...any) error {
	return Permanent(fmt.Errorf(format, args...))
}
