package apptest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/monadical/reflector-go/pkg/httpapi"
)

// JWT is a real JWT authenticator on a throwaway key: it refuses any credential the test
// does not sign with Token.
type JWT struct {
	Auth httpapi.Authenticator
	key  *rsa.PrivateKey
}

// NewJWT makes a key pair and its authenticator.
func NewJWT(t testing.TB) *JWT {
	t.Helper()
	key, pub := RSAKey(t)
	auth, err := httpapi.NewJWTAuth(pub, "")
	if err != nil {
		t.Fatalf("jwt auth: %v", err)
	}
	return &JWT{Auth: auth, key: key}
}

// RSAKey makes a throwaway RS256 signing key and its public key in PEM, as NewJWTAuth reads it.
func RSAKey(t testing.TB) (*rsa.PrivateKey, []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("rsa key: %v", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatalf("public key: %v", err)
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// Token signs a bearer token for sub and email, valid for an hour.
func (j *JWT) Token(t testing.TB, sub, email string) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"sub": sub, "email": email,
		"exp": time.Now().Add(time.Hour).Unix()}).SignedString(j.key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return tok
}
