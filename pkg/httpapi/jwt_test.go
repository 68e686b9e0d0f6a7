package httpapi_test

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
)

// TestJWTChecks: issuer and audience when configured, the bearer scheme in any case, iat in
// the future refused beyond the leeway, and a subject Postgres could not store refused.
func TestJWTChecks(t *testing.T) {
	t.Parallel()
	key, pub := apptest.RSAKey(t)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	auth, err := httpapi.NewJWTAuth(pub, "reflector",
		httpapi.JWTOptions{Issuer: "https://id.example", Leeway: time.Minute, Now: func() time.Time { return now }})
	require.NoError(t, err)
	sign := func(mod func(jwt.MapClaims)) string {
		cl := jwt.MapClaims{"sub": "u1", "email": "u1@example.com", "iss": "https://id.example", "aud": "reflector",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		if mod != nil {
			mod(cl)
		}
		s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, cl).SignedString(key)
		require.NoError(t, err)
		return s
	}
	for name, h := range map[string]string{
		"Bearer": "Bearer " + sign(nil), "bearer": "bearer " + sign(nil), "BEARER": "BEARER " + sign(nil),
		"iat within leeway": "Bearer " + sign(func(c jwt.MapClaims) { c["iat"] = now.Add(30 * time.Second).Unix() }),
	} {
		u, err := auth.Authenticate(h)
		require.NoError(t, err, name)
		require.Equal(t, "u1", u.ID, name)
	}
	for name, h := range map[string]string{
		"other scheme":      "Basic " + sign(nil),
		"no scheme":         sign(nil),
		"wrong issuer":      "Bearer " + sign(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }),
		"no issuer":         "Bearer " + sign(func(c jwt.MapClaims) { delete(c, "iss") }),
		"wrong audience":    "Bearer " + sign(func(c jwt.MapClaims) { c["aud"] = "other" }),
		"no audience":       "Bearer " + sign(func(c jwt.MapClaims) { delete(c, "aud") }),
		"iat in the future": "Bearer " + sign(func(c jwt.MapClaims) { c["iat"] = now.Add(5 * time.Minute).Unix() }),
		"NUL in sub":        "Bearer " + sign(func(c jwt.MapClaims) { c["sub"] = "u\x00" }),
		"NUL in email":      "Bearer " + sign(func(c jwt.MapClaims) { c["email"] = "u\x00@example.com" }),
	} {
		_, err := auth.Authenticate(h)
		require.Error(t, err, name)
	}
}
