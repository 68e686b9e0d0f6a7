package whereby_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

// Contract §2.6 vector.
const (
	vecSecret = "wb-test-signing-secret-0123456789"
	vecBody   = `{"id":"d7c4df48b85318352b47d2df45872bf9be87595af379e2a8ad8f1ad28b2a482e","apiVersion":"1.0","createdAt":"2021-01-21T16:29:59.681Z","type":"room.client.joined","data":{"roleName":"host","displayName":"Joe Bloggs","meetingId":"134","roomName":"/af0b7b66-c738-4981-887a-ad416754f32d","subdomain":"JoeBloggsInc","numClients":8,"numClientsByRoleName":{"host":1,"visitor":7},"metadata":"<custom-metadata>","externalId":"<custom-id>"}}`
	vecHeader = "t=1606227791,v1=4298ed45a714d69e883b7d236096baa5299eb42109d8819ac364bee2ad4e5fcb"
)

func sigHeader(v string) http.Header {
	h := http.Header{}
	if v != "" {
		h.Set(whereby.HeaderSignature, v)
	}
	return h
}

func TestVerifyWebhook(t *testing.T) {
	t.Parallel()
	client := whereby.New(whereby.Config{WebhookSecret: vecSecret})
	at := time.Unix(1606227791, 0)
	tests := []struct {
		name      string
		header    string
		body      string
		now       time.Time
		wantValid bool
	}{
		{"contract vector", vecHeader, vecBody, at, true},
		{"spaces and upper-case hex", "t=1606227791, v1=4298ED45A714D69E883B7D236096BAA5299EB42109D8819AC364BEE2AD4E5FCB", vecBody, at, true},
		{"second v1 matches", "t=1606227791,v1=00,v1=4298ed45a714d69e883b7d236096baa5299eb42109d8819ac364bee2ad4e5fcb", vecBody, at, true},
		{"inside the window late", vecHeader, vecBody, at.Add(299 * time.Second), true},
		{"inside the window early", vecHeader, vecBody, at.Add(-299 * time.Second), true},
		{"body-only hmac", "t=1606227791,v1=3addfa8c5a985c9a92dc117cb461fa94d6a459c1f3c792c1f3f551ba9a5d7d0c", vecBody, at, false},
		{"stale", vecHeader, vecBody, at.Add(6 * time.Minute), false},
		{"future", vecHeader, vecBody, at.Add(-6 * time.Minute), false},
		{"tampered body", vecHeader, vecBody[:len(vecBody)-1] + " }", at, false},
		{"html-escaped body", vecHeader, `{"metadata":"\u003ccustom-metadata\u003e"}`, at, false},
		{"missing header", "", vecBody, at, false},
		{"no v1", "t=1606227791", vecBody, at, false},
		{"no t", "v1=4298ed45a714d69e883b7d236096baa5299eb42109d8819ac364bee2ad4e5fcb", vecBody, at, false},
		{"bad t", "t=soon,v1=4298ed45a714d69e883b7d236096baa5299eb42109d8819ac364bee2ad4e5fcb", vecBody, at, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := client.VerifyWebhook(sigHeader(tt.header), []byte(tt.body), tt.now)
			if tt.wantValid {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, platform.ErrBadSignature)
		})
	}
}

func TestSignatureHeader(t *testing.T) {
	t.Parallel()
	require.Equal(t, vecHeader, whereby.SignatureHeader([]byte(vecSecret), time.Unix(1606227791, 0), []byte(vecBody)))
	noSecret := whereby.New(whereby.Config{})
	require.ErrorIs(t, noSecret.VerifyWebhook(sigHeader(vecHeader), []byte(vecBody), time.Unix(1606227791, 0)), platform.ErrBadSignature)
}

func FuzzVerifyWebhook(f *testing.F) {
	f.Add(vecHeader, []byte(vecBody))
	f.Add("t=1606227791,v1=3addfa8c5a985c9a92dc117cb461fa94d6a459c1f3c792c1f3f551ba9a5d7d0c", []byte(vecBody))
	f.Add("t=,v1=,,=", []byte{})
	f.Add("t=99999999999999999999,v1=x", []byte("{}"))
	client := whereby.New(whereby.Config{WebhookSecret: vecSecret})
	now := time.Unix(1606227791, 0)
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := client.VerifyWebhook(sigHeader(header), body, now)
		if header == vecHeader && string(body) == vecBody {
			require.NoError(t, err)
		} else if err == nil {
			require.Contains(t, header, whereby.Sign([]byte(vecSecret), "1606227791", body)[:8])
		}
	})
}
