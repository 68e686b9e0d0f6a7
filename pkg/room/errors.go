package room

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of the room rules. Their text is for logs; httpapi's error table holds the status
// and the words a client reads.
var (
	ErrNotFound     = errors.New("room: not found")
	ErrNameTaken    = errors.New("room: name taken")
	ErrAccessDenied = errors.New("room: access denied")
	ErrNotOwner     = errors.New("room: not the owner")
)

// FieldError is one invalid field of a request, in the original's validation-error shape.
type FieldError struct {
	Loc  []string
	Msg  string
	Type string
}

// ValidationError lists every invalid field of a request.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = fmt.Sprintf("%s: %s", strings.Join(f.Loc, "."), f.Msg)
	}
	return "invalid room: " + strings.Join(parts, "; ")
}

func (e *ValidationError) add(field, msg, typ string) {
	e.Fields = append(e.Fields, FieldError{Loc: []string{"body", field}, Msg: msg, Type: typ})
}

func (e *ValidationError) errOrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}
