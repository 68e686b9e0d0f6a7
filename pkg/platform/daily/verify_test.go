package daily_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
)

// Contract §1.8 vectors.
const (
	vecSecret = "NQrSA5z0FkJ44QPrFerW7uCc5kdNLv3l2FDEKDanL1U="
	vecTS     = "1708972280"
	vecBody   = `{"version":"1.0.0","type":"participant.joined","id":"ptcpt-join-6497c79b-f326-4942-aef8-c36a29140ad1-1708972279961","payload":{"room":"test","user_id":"6497c79b-f326-4942-aef8-c36a29140ad1","user_name":"testuser","session_id":"0c0d2dda-f21d-4cf9-ab56-86bf3c407ffa","joined_at":1708972279.96,"will_eject_at":1708972299.541,"owner":false,"permissions":{"hasPresence":true,"canSend":true,"canReceive":{"base":true},"canAdmin":false}},"event_ts":1708972279.961}`
	vecSig    = "SvXHIVlQjFGG3RKjrULaxB3oyTscWJqRF4+GebAMMAc="
	escBody   = `{"version":"1.0.0","type":"participant.left","id":"ptcpt-left-x-1","payload":{"room":"r","user_name":"Zoë <host>","session_id":"s1","joined_at":1708972291.567,"duration":11.419000148773193},"event_ts":1708972302.986}`
)

func headers(sig, ts string) http.Header {
	h := http.Header{}
	if sig != "" {
		h.Set(daily.HeaderSignature, sig)
	}
	if ts != "" {
		h.Set(daily.HeaderTimestamp, ts)
	}
	return h
}

func TestVerifyWebhook(t *testing.T) {
	t.Parallel()
	client := daily.New(daily.Config{WebhookSecret: vecSecret})
	at := time.Unix(1708972280, 0)
	tests := []struct {
		name      string
		sig, ts   string
		body      string
		now       time.Time
		wantValid bool
	}{
		{"contract vector", vecSig, vecTS, vecBody, at, true},
		{"handshake vector", "X7j0a9cLacozHYl/Kb6J8/APzGO93UneCCvmyf3VNwg=", vecTS, `{"test":"test"}`, at, true},
		{"raw utf-8 escaping vector", "5Z3XnY7UYAezceZKjUnCuOXaQI6fIahzmgwe8oo6Qqk=", vecTS, escBody, at, true},
		{"4:59 late is inside the window", vecSig, vecTS, vecBody, at.Add(299 * time.Second), true},
		{"4:59 early is inside the window", vecSig, vecTS, vecBody, at.Add(-299 * time.Second), true},
		{"key taken as text", "xv+70e6UODlwLlhBsLfoJ/h+mQ5DVIAzdHh5N/FhKI4=", vecTS, vecBody, at, false},
		{"hex output", "4af5c72159508c5186dd12a3ad42dac41de8c93b1c589a91178f8679b00c3007", vecTS, vecBody, at, false},
		{"spec's body-only hex", "b39f9b198d85c0d16e517ab033ec29ea68a92f50f5989e793692a43f131da37a", vecTS, vecBody, at, false},
		{"html-escaped body", "mwMEdLMzpQYdT0HCZJUAKGoAsgOJHVbZZTFG/PtU2Dw=", vecTS, escBody, at, false},
		{"stale", vecSig, vecTS, vecBody, at.Add(6 * time.Minute), false},
		{"future", vecSig, vecTS, vecBody, at.Add(-6 * time.Minute), false},
		{"tampered body", vecSig, vecTS, vecBody + " ", at, false},
		{"other timestamp", vecSig, "1708972281", vecBody, at, false},
		{"missing signature", "", vecTS, vecBody, at, false},
		{"missing timestamp", vecSig, "", vecBody, at, false},
		{"garbage timestamp", vecSig, "soon", vecBody, at, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := client.VerifyWebhook(headers(tt.sig, tt.ts), []byte(tt.body), tt.now)
			if tt.wantValid {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, platform.ErrBadSignature)
		})
	}
}

func TestVerifyWebhookWithoutSecretRejects(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{"", "not base64!"} {
		client := daily.New(daily.Config{WebhookSecret: secret})
		err := client.VerifyWebhook(headers(vecSig, vecTS), []byte(vecBody), time.Unix(1708972280, 0))
		require.ErrorIs(t, err, platform.ErrBadSignature)
	}
}

func FuzzVerifyWebhook(f *testing.F) {
	f.Add(vecSig, vecTS, []byte(vecBody))
	f.Add("X7j0a9cLacozHYl/Kb6J8/APzGO93UneCCvmyf3VNwg=", vecTS, []byte(`{"test":"test"}`))
	f.Add("4af5c72159508c5186dd12a3ad42dac41de8c93b1c589a91178f8679b00c3007", "1e400", []byte(escBody))
	f.Add("", "-1", []byte{})
	client := daily.New(daily.Config{WebhookSecret: vecSecret})
	now := time.Unix(1708972280, 0)
	f.Fuzz(func(t *testing.T, sig, ts string, body []byte) {
		err := client.VerifyWebhook(headers(sig, ts), body, now)
		valid := sig == vecSig && ts == vecTS && string(body) == vecBody
		if valid {
			require.NoError(t, err)
		} else if err == nil {
			// Only a genuine signature of this exact (ts, body) may pass.
			require.Equal(t, daily.Sign(mustKey(t), ts, body), sig)
		}
	})
}

func mustKey(t *testing.T) []byte {
	t.Helper()
	return []byte{0x35, 0x0a, 0xd2, 0x03, 0x9c, 0xf4, 0x16, 0x42, 0x78, 0xe1, 0x03, 0xeb, 0x15, 0xea, 0xd6, 0xee,
		0xe0, 0x9c, 0xe6, 0x47, 0x4d, 0x2e, 0xfd, 0xe5, 0xd8, 0x50, 0xc4, 0x28, 0x36, 0xa7, 0x2f, 0x55}
}

func TestSignMatchesTheContractKeyBytes(t *testing.T) {
	t.Parallel()
	require.Equal(t, vecSig, daily.Sign(mustKey(t), vecTS, []byte(vecBody)))
}
