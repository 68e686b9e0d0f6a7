package config

import "time"

// HTTPConfig bounds what one client can hold or spend of the API: connection and request
// timeouts, the connection cap beyond which new connections are shed with 503, and the rate
// limits of public writes and meeting creation.
type HTTPConfig struct {
	ReadHeaderTimeout time.Duration // HTTP_READ_HEADER_TIMEOUT
	// ReadTimeout is the per-request deadline for the whole request, body included.
	ReadTimeout  time.Duration // HTTP_READ_TIMEOUT
	WriteTimeout time.Duration // HTTP_WRITE_TIMEOUT
	IdleTimeout  time.Duration // HTTP_IDLE_TIMEOUT: keep-alive connections close after this
	MaxConns     int           // HTTP_MAX_CONNS: open connections; beyond it, 503 + Retry-After
	// TrustProxy takes the client address from X-Forwarded-For set by a proxy on a private
	// network (rate limits key on it); off, the peer address is the client.
	TrustProxy bool // HTTP_TRUST_PROXY
	// WritesPerMinute and WritesBurst limit each client's public writes (429 + Retry-After).
	WritesPerMinute int // RATE_LIMIT_WRITES_PER_MINUTE
	WritesBurst     int // RATE_LIMIT_WRITES_BURST
	// CreatesPerMinute limits each client's and each room's meeting creations.
	CreatesPerMinute int // RATE_LIMIT_MEETING_CREATES_PER_MINUTE
	// MaxExtraMeetings caps a room's active extra meetings (allow_duplicated).
	MaxExtraMeetings int // MAX_EXTRA_MEETINGS_PER_ROOM
}

func loadHTTP(r *reader) HTTPConfig {
	c := HTTPConfig{
		ReadHeaderTimeout: r.duration("HTTP_READ_HEADER_TIMEOUT", 10*time.Second),
		ReadTimeout:       r.duration("HTTP_READ_TIMEOUT", 30*time.Second),
		WriteTimeout:      r.duration("HTTP_WRITE_TIMEOUT", 60*time.Second),
		IdleTimeout:       r.duration("HTTP_IDLE_TIMEOUT", 120*time.Second),
		MaxConns:          r.integer("HTTP_MAX_CONNS", 2000),
		TrustProxy:        r.boolean("HTTP_TRUST_PROXY", false),
		WritesPerMinute:   r.integer("RATE_LIMIT_WRITES_PER_MINUTE", 300),
		WritesBurst:       r.integer("RATE_LIMIT_WRITES_BURST", 60),
		CreatesPerMinute:  r.integer("RATE_LIMIT_MEETING_CREATES_PER_MINUTE", 10),
		MaxExtraMeetings:  r.integer("MAX_EXTRA_MEETINGS_PER_ROOM", 5),
	}
	if c.ReadHeaderTimeout <= 0 || c.ReadTimeout <= 0 || c.WriteTimeout <= 0 || c.IdleTimeout <= 0 {
		r.fail("HTTP_READ_HEADER_TIMEOUT/HTTP_READ_TIMEOUT/HTTP_WRITE_TIMEOUT/HTTP_IDLE_TIMEOUT", "must be positive")
	}
	if c.MaxConns < 1 || c.WritesPerMinute < 1 || c.WritesBurst < 1 || c.CreatesPerMinute < 1 || c.MaxExtraMeetings < 0 {
		r.fail("HTTP_MAX_CONNS/RATE_LIMIT_*", "must be positive")
	}
	return c
}
