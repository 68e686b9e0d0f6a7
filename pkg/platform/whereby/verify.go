package whereby

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
)

// HeaderSignature carries "t=<unix seconds>,v1=<hex HMAC-SHA256>".
const HeaderSignature = "Whereby-Signature"

// Sign returns the v1 value for a body: hex(HMAC-SHA256(secret, t + "." + body)).
func Sign(secret []byte, t string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(t))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignatureHeader returns the full Whereby-Signature value for a body signed at t.
func SignatureHeader(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + Sign(secret, ts, body)
}

// VerifyWebhook checks Whereby-Signature over the raw body and that t is within the replay
// window of now, past or future (Whereby's example allows 60 s one way; the default here
// is 5 min both ways). Failures wrap platform.ErrBadSignature.
func (c *Client) VerifyWebhook(h http.Header, body []byte, now time.Time) error {
	if len(c.secret) == 0 {
		return badSignature("no webhook secret configured")
	}
	ts, sigs, err := parseHeader(h.Get(HeaderSignature))
	if err != nil {
		return badSignature(err.Error())
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return badSignature(fmt.Sprintf("bad timestamp %q", ts))
	}
	if skew := now.Sub(time.Unix(secs, 0)); skew > c.window || skew < -c.window {
		return badSignature(fmt.Sprintf("timestamp %s outside the %s replay window", ts, c.window))
	}
	want := []byte(Sign(c.secret, ts, body))
	for _, s := range sigs {
		if subtle.ConstantTimeCompare(want, []byte(strings.ToLower(s))) == 1 {
			return nil
		}
	}
	return badSignature("signature mismatch")
}

// parseHeader splits "t=…,v1=…[,v1=…]" into the timestamp and the v1 signatures.
func parseHeader(v string) (string, []string, error) {
	if v == "" {
		return "", nil, fmt.Errorf("missing %s header", HeaderSignature)
	}
	var ts string
	var sigs []string
	for part := range strings.SplitSeq(v, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = val
		case "v1":
			sigs = append(sigs, val)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return "", nil, fmt.Errorf("malformed %s header", HeaderSignature)
	}
	return ts, sigs, nil
}

func badSignature(reason string) error {
	return fmt.Errorf("whereby.VerifyWebhook: %s: %w", reason, platform.ErrBadSignature)
}
