package daily

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
)

// Webhook header names.
const (
	HeaderSignature = "X-Webhook-Signature"
	HeaderTimestamp = "X-Webhook-Timestamp"
)

// Sign returns Daily's X-Webhook-Signature for a body: base64(HMAC-SHA256(key, ts + "." +
// body)) with key the base64-decoded webhook secret.
func Sign(key []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook checks X-Webhook-Signature over the raw body and that X-Webhook-Timestamp
// (unix seconds; a value above 1e11 is read as milliseconds, as the unit is unconfirmed) is
// within the replay window of now, past or future. Failures wrap platform.ErrBadSignature.
func (c *Client) VerifyWebhook(h http.Header, body []byte, now time.Time) error {
	sig, ts := h.Get(HeaderSignature), h.Get(HeaderTimestamp)
	switch {
	case c.key == nil:
		return badSignature("no valid webhook secret configured")
	case sig == "" || ts == "":
		return badSignature("missing signature or timestamp header")
	}
	at, err := parseTimestamp(ts)
	if err != nil {
		return badSignature(err.Error())
	}
	if skew := now.Sub(at); skew > c.window || skew < -c.window {
		return badSignature(fmt.Sprintf("timestamp %s outside the %s replay window", ts, c.window))
	}
	if subtle.ConstantTimeCompare([]byte(Sign(c.key, ts, body)), []byte(sig)) != 1 {
		return badSignature("signature mismatch")
	}
	return nil
}

func parseTimestamp(ts string) (time.Time, error) {
	f, err := strconv.ParseFloat(ts, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e15 {
		return time.Time{}, fmt.Errorf("bad timestamp %q", ts)
	}
	if f > 1e11 {
		f /= 1000
	}
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*float64(time.Second))), nil
}

func badSignature(reason string) error {
	return fmt.Errorf("daily.VerifyWebhook: %s: %w", reason, platform.ErrBadSignature)
}
