package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/lib/pq"
)

// Unavailable reports whether err means Postgres could not be reached or dropped the
// connection (stopped, restarting, out of connection slots), as opposed to a query that
// failed on its own. Callers answer such errors as a temporary outage (HTTP 503), not as
// a bug.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pgUnavailable(string(pe.Code))
	}
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &oe), errors.As(err, &ne):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// lib/pq reports a connection cut during the start-up exchange as plain text.
	return strings.Contains(err.Error(), "driver: bad connection")
}

// pgUnavailable: SQLSTATE class 08 (connection exception), 57P01-57P03 (shut down, crash
// shut down, cannot connect now) and 53300 (too many connections).
func pgUnavailable(code string) bool {
	return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
}
