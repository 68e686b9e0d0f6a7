// Package user maps credentials to the internal user id that owns rows: the identity
// provider's sub (a JWT's subject) through the user_account table, and API keys (X-API-Key)
// through their HMAC hash, as the original Reflector does.
package user

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Errors of the user rules; httpapi maps them to statuses.
var (
	// ErrUnknownKey is an API key that matches no stored hash.
	ErrUnknownKey = errors.New("unknown api key")
	// ErrKeysDisabled is an API key presented while no SECRET_KEY is configured.
	ErrKeysDisabled = errors.New("api keys are disabled")
	// ErrNotFound is a sub or key hash that has no row.
	ErrNotFound = errors.New("user not found")
)

// Account is one user_account row: sub is the identity provider's subject, ID the owner id
// stored on rows.
type Account struct {
	ID        string    `db:"id"`
	Sub       string    `db:"sub"`
	Email     *string   `db:"email"`
	CreatedAt time.Time `db:"created_at"`
	UpdatedAt time.Time `db:"updated_at"`
}

// APIKey is one user_api_key row; the key itself is never stored.
type APIKey struct {
	ID        uuid.UUID `db:"id"`
	UserID    string    `db:"user_id"`
	KeyHash   string    `db:"key_hash"`
	Name      *string   `db:"name"`
	CreatedAt time.Time `db:"created_at"`
}

// Store is what the service needs from the database.
type Store interface {
	// AccountIDBySub returns the id mapped to sub, or ErrNotFound.
	AccountIDBySub(ctx context.Context, sub string) (string, error)
	// AccountEnsure inserts the mapping a unless its sub already has one, and returns the id
	// the sub maps to.
	AccountEnsure(ctx context.Context, a Account) (string, error)
	// APIKeyUserByHash returns the owner of the key with this hash, or ErrNotFound.
	APIKeyUserByHash(ctx context.Context, hash string) (string, error)
	// APIKeyInsert stores a new key.
	APIKeyInsert(ctx context.Context, k APIKey) error
}

// Config holds the service's dependencies.
type Config struct {
	Store Store
	// Secret is the HMAC key of API key hashes (the original's SECRET_KEY); empty disables keys.
	Secret string
	Now    func() time.Time
}

// cacheMax bounds the sub → id cache; a mapping never changes once made, so the cache is only
// ever cleared to bound memory.
const cacheMax = 10000

// Service resolves credentials to internal user ids.
type Service struct {
	cfg   Config
	mu    sync.Mutex
	cache map[string]string
}

// NewService returns a Service.
func NewService(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, cache: map[string]string{}}
}

// ForSub returns the internal id of a verified subject, mapping a new subject to itself.
func (s *Service) ForSub(ctx context.Context, sub, email string) (string, error) {
	if id, ok := s.cached(sub); ok {
		return id, nil
	}
	id, err := s.cfg.Store.AccountIDBySub(ctx, sub)
	if errors.Is(err, ErrNotFound) {
		now := s.cfg.Now()
		a := Account{ID: sub, Sub: sub, CreatedAt: now, UpdatedAt: now}
		if email != "" {
			a.Email = &email
		}
		id, err = s.cfg.Store.AccountEnsure(ctx, a)
	}
	if err != nil {
		return "", fmt.Errorf("user.ForSub: %w", err)
	}
	s.remember(sub, id)
	return id, nil
}

// ForAPIKey returns the owner of an API key.
func (s *Service) ForAPIKey(ctx context.Context, key string) (string, error) {
	if s.cfg.Secret == "" {
		return "", ErrKeysDisabled
	}
	id, err := s.cfg.Store.APIKeyUserByHash(ctx, HashKey(s.cfg.Secret, key))
	if errors.Is(err, ErrNotFound) {
		return "", ErrUnknownKey
	}
	if err != nil {
		return "", fmt.Errorf("user.ForAPIKey: %w", err)
	}
	return id, nil
}

// CreateKey makes a new API key for userID and returns it; only its hash is stored.
func (s *Service) CreateKey(ctx context.Context, userID, name string) (string, APIKey, error) {
	if s.cfg.Secret == "" {
		return "", APIKey{}, ErrKeysDisabled
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return "", APIKey{}, fmt.Errorf("user.CreateKey: %w", err)
	}
	key := base64.RawURLEncoding.EncodeToString(raw) // the original's secrets.token_urlsafe(48)
	k := APIKey{ID: uuid.New(), UserID: userID, KeyHash: HashKey(s.cfg.Secret, key), CreatedAt: s.cfg.Now()}
	if name != "" {
		k.Name = &name
	}
	if err := s.cfg.Store.APIKeyInsert(ctx, k); err != nil {
		return "", APIKey{}, fmt.Errorf("user.CreateKey: %w", err)
	}
	return key, k, nil
}

// HashKey is the stored form of an API key: hex(HMAC-SHA256(secret, key)), as the original
// computes it, so keys imported with the original's SECRET_KEY verify unchanged.
func HashKey(secret, key string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(key))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Service) cached(sub string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.cache[sub]
	return id, ok
}

func (s *Service) remember(sub, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cache) >= cacheMax {
		clear(s.cache)
	}
	s.cache[sub] = id
}
