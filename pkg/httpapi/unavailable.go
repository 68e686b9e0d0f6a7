package httpapi

import "github.com/monadical/reflector-go/pkg/store"

// A dependency outage (Postgres stopped or restarting) is temporary: the answer is a 503 with
// Retry-After, never a 500. Providers retry webhooks answered with a non-2xx status, so a
// webhook refused during an outage comes back.
const (
	errUnavailable = "Service temporarily unavailable, retry later"
	retryAfter     = "5" // seconds
)

// unavailable reports whether err is an outage of the database, or a transaction Postgres
// aborted to break a deadlock or a serialization conflict (left after the service's own
// retries), rather than a failure of the request itself.
func unavailable(err error) bool { return store.Unavailable(err) || store.Conflict(err) }
