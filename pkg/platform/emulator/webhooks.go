package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
)

// SignWebhook serialises event once (compact, no HTML escaping, no trailing newline) and
// returns the body with the headers Daily sends: X-Webhook-Timestamp (unix seconds, the
// emulator clock) and X-Webhook-Signature = base64(HMAC-SHA256(key, ts + "." + body)).
func (d *Daily) SignWebhook(event any) ([]byte, http.Header, error) {
	body, err := compactJSON(event)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator.Daily.SignWebhook: %w", err)
	}
	return body, d.signHeaders(d.key, body), nil
}

func (d *Daily) signHeaders(key, body []byte) http.Header {
	ts := strconv.FormatInt(d.Now().Unix(), 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Webhook-Timestamp", ts)
	h.Set("X-Webhook-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	return h
}

// SendWebhook POSTs a signed event to url as Daily does. The caller closes the response body.
func (d *Daily) SendWebhook(ctx context.Context, url string, event any) (*http.Response, error) {
	body, h, err := d.SignWebhook(event)
	if err != nil {
		return nil, err
	}
	resp, err := post(ctx, d.client, url, body, h)
	if err != nil {
		return nil, fmt.Errorf("emulator.Daily.SendWebhook %s: %w", url, err)
	}
	return resp, nil
}

// SignWebhook serialises event once (compact, no HTML escaping, no trailing newline) and
// returns the body with Whereby-Signature: "t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>".
func (wb *Whereby) SignWebhook(event any) ([]byte, http.Header, error) {
	body, err := compactJSON(event)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator.Whereby.SignWebhook: %w", err)
	}
	ts := strconv.FormatInt(wb.Now().Unix(), 10)
	mac := hmac.New(sha256.New, wb.secret)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Whereby-Signature", "t="+ts+",v1="+hex.EncodeToString(mac.Sum(nil)))
	return body, h, nil
}

// SendWebhook POSTs a signed event to url as Whereby does. The caller closes the response body.
func (wb *Whereby) SendWebhook(ctx context.Context, url string, event any) (*http.Response, error) {
	body, h, err := wb.SignWebhook(event)
	if err != nil {
		return nil, err
	}
	resp, err := post(ctx, wb.client, url, body, h)
	if err != nil {
		return nil, fmt.Errorf("emulator.Whereby.SendWebhook %s: %w", url, err)
	}
	return resp, nil
}
