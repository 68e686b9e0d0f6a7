package config

import (
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"
)

// reader parses variables and keeps the first error.
type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) fail(key, msg string) {
	if r.err == nil {
		r.err = &Error{Var: key, Msg: msg}
	}
}

func (r *reader) str(key, def string) string {
	if v := strings.TrimSpace(r.getenv(key)); v != "" {
		return v
	}
	return def
}

func (r *reader) required(key, val string) {
	if val == "" {
		r.fail(key, "required")
	}
}

func (r *reader) oneOf(key, def string, allowed ...string) string {
	v := r.str(key, def)
	if !slices.Contains(allowed, v) {
		r.fail(key, "must be one of "+strings.Join(allowed, ", ")+", got "+strconv.Quote(v))
	}
	return v
}

func (r *reader) integer(key string, def int) int {
	v := r.str(key, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		r.fail(key, "must be a non-negative integer, got "+strconv.Quote(v))
	}
	return n
}

func (r *reader) boolean(key string, def bool) bool {
	v := r.str(key, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(key, "must be true or false, got "+strconv.Quote(v))
	}
	return b
}

// duration accepts Go durations ("15s") or plain seconds ("15").
func (r *reader) duration(key string, def time.Duration) time.Duration {
	v := r.str(key, "")
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		r.fail(key, "must be a duration like 15s or a number of seconds, got "+strconv.Quote(v))
	}
	return d
}

func (r *reader) url(key, def string) string {
	v := strings.TrimRight(r.str(key, def), "/")
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.fail(key, "must be an http(s) URL, got "+strconv.Quote(v))
	}
	return v
}

// list reads a comma-separated list, or a JSON array of strings (the form the original's
// settings take, e.g. DAILY_MIGRATION_ROOM_IDS=["room-abc"]).
func (r *reader) list(key string) []string {
	v := r.str(key, "")
	if strings.HasPrefix(v, "[") {
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			r.fail(key, "must be a comma-separated list or a JSON array of strings")
		}
		return out
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) level(key string, def zapcore.Level) zapcore.Level {
	v := r.str(key, "")
	if v == "" {
		return def
	}
	l, err := zapcore.ParseLevel(v)
	if err != nil {
		r.fail(key, "must be debug, info, warn or error, got "+strconv.Quote(v))
	}
	return l
}

// PEM returns the JWT public key text: AUTH_JWT_PUBLIC_KEY holds PEM itself or names a file.
func (a AuthConfig) PEM() ([]byte, error) {
	if strings.Contains(a.JWTPublicKey, "-----BEGIN") {
		return []byte(a.JWTPublicKey), nil
	}
	b, err := os.ReadFile(a.JWTPublicKey)
	if err != nil {
		return nil, &Error{Var: "AUTH_JWT_PUBLIC_KEY", Msg: err.Error()}
	}
	return b, nil
}
