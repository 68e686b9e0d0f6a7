package httpapi

import (
	"crypto/rsa"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
)

// User is the authenticated caller; the zero User is anonymous.
type User struct {
	ID    string
	Email string
}

// Authenticator identifies the caller of a request. It returns the zero User for an anonymous
// request and an error for a credential that does not verify.
type Authenticator interface {
	Authenticate(authorization string) (User, error)
}

// LocalAuth is the `none` backend: every request acts as one local user, so every endpoint
// works in development without an identity provider.
type LocalAuth struct{ User User }

// Authenticate implements Authenticator.
func (a LocalAuth) Authenticate(string) (User, error) { return a.User, nil }

// JWTAuth verifies RS256 bearer tokens; sub and email are required.
type JWTAuth struct {
	key      *rsa.PublicKey
	audience string
	opts     JWTOptions
}

// JWTOptions are the optional checks of JWTAuth.
type JWTOptions struct {
	// Issuer, when set, must equal the token's iss (AUTH_JWT_ISSUER).
	Issuer string
	// Leeway is the clock skew allowed on exp, nbf and iat; an iat further in the future is
	// refused (default 1 minute).
	Leeway time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// NewJWTAuth parses the PEM public key. With audience set, tokens must carry it.
func NewJWTAuth(pem []byte, audience string, opts ...JWTOptions) (*JWTAuth, error) {
	key, err := jwt.ParseRSAPublicKeyFromPEM(pem)
	if err != nil {
		return nil, fmt.Errorf("jwt public key: %w", err)
	}
	a := &JWTAuth{key: key, audience: audience}
	if len(opts) > 0 {
		a.opts = opts[0]
	}
	if a.opts.Leeway == 0 {
		a.opts.Leeway = time.Minute
	}
	if a.opts.Now == nil {
		a.opts.Now = time.Now
	}
	return a, nil
}

type claims struct {
	Email string `json:"email"`
	jwt.RegisteredClaims
}

// Authenticate implements Authenticator.
func (a *JWTAuth) Authenticate(authorization string) (User, error) {
	if authorization == "" {
		return User{}, nil
	}
	scheme, raw, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return User{}, errBadToken
	}
	var cl claims
	_, err := jwt.ParseWithClaims(strings.TrimSpace(raw), &cl, func(*jwt.Token) (any, error) { return a.key, nil }, a.parserOptions()...)
	if err != nil || cl.Subject == "" || cl.Email == "" {
		return User{}, errBadToken
	}
	// The subject is stored as rooms' user_id: text Postgres cannot store is no identity.
	if !cleanText(cl.Subject) || !cleanText(cl.Email) || len(cl.Subject) > 255 {
		return User{}, errBadToken
	}
	return User{ID: cl.Subject, Email: cl.Email}, nil
}

func (a *JWTAuth) parserOptions() []jwt.ParserOption {
	opts := []jwt.ParserOption{jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(), jwt.WithLeeway(a.opts.Leeway), jwt.WithTimeFunc(a.opts.Now)}
	if a.audience != "" {
		opts = append(opts, jwt.WithAudience(a.audience))
	}
	if a.opts.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(a.opts.Issuer))
	}
	return opts
}

const userKey = "user"

// authMiddleware puts the caller on the context; a bad credential is a 401 everywhere but on
// the signed routes ("METHOD path"), which authenticate the provider themselves.
func authMiddleware(a Authenticator, signed map[string]bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if signed[c.Request().Method+" "+c.Path()] {
				return next(c)
			}
			u, err := a.Authenticate(c.Request().Header.Get(echo.HeaderAuthorization))
			if err != nil {
				return err
			}
			c.Set(userKey, u)
			return next(c)
		}
	}
}

// caller returns the caller's user id ("" when anonymous).
func caller(c echo.Context) string {
	u, _ := c.Get(userKey).(User)
	return u.ID
}

// requireUser answers 401 to anonymous callers of endpoints that need an identity.
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if caller(c) == "" {
			return errNotAuthenticated
		}
		return next(c)
	}
}
