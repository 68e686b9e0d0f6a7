package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/user"
)

// HeaderAPIKey carries a user's API key, as in the original.
const HeaderAPIKey = "X-API-Key"

// Identities maps verified credentials to the internal user id that owns rows (user.Service).
type Identities interface {
	ForSub(ctx context.Context, sub, email string) (string, error)
	ForAPIKey(ctx context.Context, key string) (string, error)
}

var errTwoUsers = &statusError{http.StatusUnauthorized, "Invalid authentication: more than one user provided"}

// identityMiddleware runs after authMiddleware: it replaces a verified token's sub by the
// internal id it maps to, and authenticates X-API-Key. A key unknown here is ignored, as the
// original does (so a route that needs a user answers 401 "Not authenticated"), which also
// lets routes proxied to the original (UPSTREAM_API_URL) carry keys made there since the
// import; a key naming another user than the token is a 401.
func identityMiddleware(ids Identities, signed map[string]bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if ids == nil || signed[c.Request().Method+" "+c.Path()] {
				return next(c)
			}
			u, err := identify(c, ids)
			if err != nil {
				return err
			}
			c.Set(userKey, u)
			return next(c)
		}
	}
}

func identify(c echo.Context, ids Identities) (User, error) {
	ctx := c.Request().Context()
	u, _ := c.Get(userKey).(User)
	if u.ID != "" {
		id, err := ids.ForSub(ctx, u.ID, u.Email)
		if err != nil {
			return User{}, err
		}
		u.ID = id
	}
	key := c.Request().Header.Get(HeaderAPIKey)
	if key == "" {
		return u, nil
	}
	owner, err := ids.ForAPIKey(ctx, key)
	if errors.Is(err, user.ErrUnknownKey) || errors.Is(err, user.ErrKeysDisabled) {
		return u, nil
	}
	if err != nil {
		return User{}, err
	}
	if u.ID != "" && u.ID != owner {
		return User{}, errTwoUsers
	}
	return User{ID: owner, Email: u.Email}, nil
}
