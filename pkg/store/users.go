package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/user"
)

// UserStore implements user.Store.
type UserStore struct{ base }

// NewUserStore returns the user adapter on db.
func NewUserStore(db *sqlx.DB) UserStore { return UserStore{newBase(db)} }

// AccountIDBySub implements user.Store.
func (s UserStore) AccountIDBySub(ctx context.Context, sub string) (string, error) {
	var id string
	err := sqlx.GetContext(ctx, s.q, &id, `SELECT id FROM user_account WHERE sub = $1`, sub)
	if isNoRows(err) {
		return "", user.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("select user by sub: %w", err)
	}
	return id, nil
}

// AccountEnsure implements user.Store. Two first requests of one sub race here; the no-op
// update makes RETURNING hand both the one row that won.
func (s UserStore) AccountEnsure(ctx context.Context, a user.Account) (string, error) {
	var id string
	err := sqlx.GetContext(ctx, s.q, &id, `INSERT INTO user_account (id, sub, email, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sub) DO UPDATE SET sub = EXCLUDED.sub RETURNING id`,
		a.ID, a.Sub, a.Email, a.CreatedAt, a.UpdatedAt)
	if err != nil {
		return "", fmt.Errorf("insert user: %w", err)
	}
	return id, nil
}

// APIKeyUserByHash implements user.Store.
func (s UserStore) APIKeyUserByHash(ctx context.Context, hash string) (string, error) {
	var id string
	err := sqlx.GetContext(ctx, s.q, &id, `SELECT user_id FROM user_api_key WHERE key_hash = $1`, hash)
	if isNoRows(err) {
		return "", user.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("select api key: %w", err)
	}
	return id, nil
}

// APIKeyInsert implements user.Store.
func (s UserStore) APIKeyInsert(ctx context.Context, k user.APIKey) error {
	_, err := sqlx.NamedExecContext(ctx, s.q, `INSERT INTO user_api_key (id, user_id, key_hash, name, created_at)
		VALUES (:id, :user_id, :key_hash, :name, :created_at)`, k)
	if err != nil {
		return fmt.Errorf("insert api key: %w", err)
	}
	return nil
}
