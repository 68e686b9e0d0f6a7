package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
)

// TestJWTAuth runs the real RS256 authenticator: a valid token acts as its subject, and
// anything else is a 401.
func TestJWTAuth(t *testing.T) {
	t.Parallel()
	key, pub := apptest.RSAKey(t)
	auth, err := httpapi.NewJWTAuth(pub, "reflector")
	require.NoError(t, err)
	a := apptest.New(t, apptest.Options{Auth: auth})
	sign := func(k *rsa.PrivateKey, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, c).SignedString(k)
		require.NoError(t, err)
		return "Bearer " + s
	}
	exp := time.Now().Add(time.Hour).Unix()
	valid := jwt.MapClaims{"sub": "user-9", "email": "u9@example.com", "aud": "reflector", "exp": exp}

	res := a.Do(t, http.MethodPost, "/v1/rooms", map[string]any{"name": "jwt-room", "recording_type": "none"},
		"Authorization", sign(key, valid))
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, "user-9", res.JSON(t)["user_id"], "the room belongs to the token's subject")

	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	without := func(k string) jwt.MapClaims {
		c := jwt.MapClaims{}
		for n, v := range valid {
			if n != k {
				c[n] = v
			}
		}
		return c
	}
	for name, authz := range map[string]string{
		"another key":  sign(other, valid),
		"expired":      sign(key, jwt.MapClaims{"sub": "u", "email": "e", "aud": "reflector", "exp": time.Now().Add(-time.Hour).Unix()}),
		"no expiry":    sign(key, without("exp")),
		"no email":     sign(key, without("email")),
		"no subject":   sign(key, without("sub")),
		"wrong aud":    sign(key, jwt.MapClaims{"sub": "u", "email": "e", "aud": "other", "exp": exp}),
		"not a bearer": "Basic dTpw",
		"not a token":  "Bearer x.y.z",
		"alg none":     "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.",
	} {
		res := a.Do(t, http.MethodGet, "/v1/rooms", nil, "Authorization", authz)
		require.Equal(t, http.StatusUnauthorized, res.Status, name)
	}
}
