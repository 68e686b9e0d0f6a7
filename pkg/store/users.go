package store

import (
	"context"
	"errors"
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

// AccountEnsure implements user.Store. The first requests of one sub race here, and the new
// row conflicts on both the primary key and sub (id = sub), so no single ON CONFLICT target
// covers it: DO NOTHING waits for the winner, whose row the select then reads.
func (s UserStore) AccountEnsure(ctx context.Context, a user.Account) (string, error) {
	_, err := s.q.ExecContext(ctx, `INSERT INTO user_account (id, sub, email, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, a.ID, a.Sub, a.Email, a.CreatedAt, a.UpdatedAt)
	if err != nil {
		return "", fmt.Errorf("insert user: %w", err)
	}
	id, err := s.AccountIDBySub(ctx, a.Sub)
	if errors.Is(err, user.ErrNotFound) {
		// id was taken by another sub's row: the mapping cannot be made.
		return "", fmt.Errorf("insert user %q: id %q belongs to another sub", a.Sub, a.ID)
	}
	return id, err
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
