package recording

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// Strings is a list stored as a jsonb array (NULL when empty).
type Strings []string

// Participants is a list stored as a jsonb array.
type Participants []Participant

// Segments is a list stored as a jsonb array.
type Segments []Segment

// Value implements driver.Valuer.
func (s Strings) Value() (driver.Value, error) {
	if len(s) == 0 {
		return nil, nil
	}
	return json.Marshal([]string(s))
}

// Scan implements sql.Scanner.
func (s *Strings) Scan(src any) error { return scanJSON(src, (*[]string)(s)) }

// Value implements driver.Valuer.
func (p Participants) Value() (driver.Value, error) { return marshalList(p) }

// Scan implements sql.Scanner.
func (p *Participants) Scan(src any) error { return scanJSON(src, (*[]Participant)(p)) }

// Value implements driver.Valuer.
func (s Segments) Value() (driver.Value, error) { return marshalList(s) }

// Scan implements sql.Scanner.
func (s *Segments) Scan(src any) error { return scanJSON(src, (*[]Segment)(s)) }

func marshalList[T any](l []T) (driver.Value, error) {
	if l == nil {
		l = []T{}
	}
	return json.Marshal(l)
}

func scanJSON(src, dst any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		return json.Unmarshal(v, dst)
	case string:
		return json.Unmarshal([]byte(v), dst)
	default:
		return fmt.Errorf("recording: cannot scan %T as json", src)
	}
}
