package meeting

import (
	"bytes"
	"database/sql/driver"
	"fmt"
)

// RawJSON is a nullable JSON document stored in a jsonb column. It is sent to Postgres as
// text, because lib/pq would send a plain []byte as bytea.
type RawJSON []byte

// Value implements driver.Valuer.
func (j RawJSON) Value() (driver.Value, error) {
	if j == nil {
		return nil, nil
	}
	return string(j), nil
}

// Scan implements sql.Scanner.
func (j *RawJSON) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*j = nil
	case []byte:
		*j = append(RawJSON(nil), v...)
	case string:
		*j = RawJSON(v)
	default:
		return fmt.Errorf("RawJSON: cannot scan %T", src)
	}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (j RawJSON) MarshalJSON() ([]byte, error) {
	if j == nil {
		return []byte("null"), nil
	}
	return j, nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (j *RawJSON) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*j = nil
		return nil
	}
	*j = append(RawJSON(nil), b...)
	return nil
}
