package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

type srcUser struct {
	ID           string    `db:"id"`
	Email        *string   `db:"email"`
	AuthentikUID *string   `db:"authentik_uid"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedAt    time.Time `db:"updated_at"`
}

var userTarget = newTarget("user_account", []string{"sub", "email"}, []string{"created_at", "updated_at"}, nil) //nolint:gochecknoglobals // constant

// users maps the original's user table (Authentik uid → internal id) onto user_account, so a
// token's sub resolves to the id that owns the imported rows.
func (r *run) users(ctx context.Context) error {
	return each(ctx, r, "user_account", `SELECT id, email, authentik_uid, created_at, updated_at FROM "user"
		ORDER BY created_at, id`, r.user)
}

func (r *run) user(ctx context.Context, c *Counts, u srcUser) error {
	var ck checker
	ck.notEmpty("authentik_uid", u.AuthentikUID)
	if u.ID == "" {
		ck.fail("id is empty")
	}
	if ck.reason == "" {
		other, err := r.otherID(ctx, `SELECT id FROM user_account WHERE sub = $1 AND id <> $2`, *u.AuthentikUID, u.ID)
		if err != nil {
			return err
		}
		if other != "" {
			ck.fail("sub %q is already mapped to user %q here", *u.AuthentikUID, other)
		}
	}
	if ck.reason != "" {
		r.rep.skip("user_account", u.ID, "%s", ck.reason)
		return nil
	}
	return userTarget.write(ctx, r.dst, c, u.ID, *u.AuthentikUID, u.Email, u.CreatedAt, u.UpdatedAt)
}

// otherID returns the id a conflict query finds in our tables, or "".
func (r *run) otherID(ctx context.Context, query string, args ...any) (string, error) {
	st, err := r.dst.stmt(ctx, query)
	if err != nil {
		return "", err
	}
	var id string
	err = st.GetContext(ctx, &id, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("check conflicts: %w", err)
	}
	return id, nil
}

type srcAPIKey struct {
	ID        string    `db:"id"`
	UserID    string    `db:"user_id"`
	KeyHash   string    `db:"key_hash"`
	Name      *string   `db:"name"`
	CreatedAt time.Time `db:"created_at"`
}

var apiKeyTarget = newTarget("user_api_key", []string{"user_id", "key_hash", "name", "created_at"}, nil, nil) //nolint:gochecknoglobals // constant

// apiKeys copies the hashes: with the original's SECRET_KEY, the keys keep working.
func (r *run) apiKeys(ctx context.Context) error {
	return each(ctx, r, "user_api_key", `SELECT id, user_id, key_hash, name, created_at FROM user_api_key
		ORDER BY created_at, id`, r.apiKey)
}

func (r *run) apiKey(ctx context.Context, c *Counts, k srcAPIKey) error {
	if k.KeyHash == "" || k.UserID == "" {
		r.rep.skip("user_api_key", k.ID, "user_id or key_hash is empty")
		return nil
	}
	return apiKeyTarget.write(ctx, r.dst, c, r.idFor("user_api_key", k.ID), k.UserID, k.KeyHash, k.Name, k.CreatedAt)
}

type srcRoom struct {
	ID               string     `db:"id"`
	Name             string     `db:"name"`
	UserID           string     `db:"user_id"`
	CreatedAt        time.Time  `db:"created_at"`
	ZulipAutoPost    bool       `db:"zulip_auto_post"`
	ZulipStream      *string    `db:"zulip_stream"`
	ZulipTopic       *string    `db:"zulip_topic"`
	IsLocked         bool       `db:"is_locked"`
	RoomMode         string     `db:"room_mode"`
	RecordingType    string     `db:"recording_type"`
	RecordingTrigger string     `db:"recording_trigger"`
	IsShared         bool       `db:"is_shared"`
	WebhookURL       *string    `db:"webhook_url"`
	WebhookSecret    *string    `db:"webhook_secret"`
	ICSURL           *string    `db:"ics_url"`
	ICSFetchInterval *int       `db:"ics_fetch_interval"`
	ICSEnabled       bool       `db:"ics_enabled"`
	ICSLastSync      *time.Time `db:"ics_last_sync"`
	ICSLastEtag      *string    `db:"ics_last_etag"`
	Platform         string     `db:"platform"`
	SkipConsent      bool       `db:"skip_consent"`
}

const roomCols = `name, user_id, created_at, zulip_auto_post, zulip_stream, zulip_topic, is_locked, room_mode,
	recording_type, recording_trigger, is_shared, webhook_url, webhook_secret, ics_url, ics_fetch_interval,
	ics_enabled, ics_last_sync, ics_last_etag, platform, skip_consent`

var roomTarget = newTarget("room", splitCols(roomCols), nil, nil) //nolint:gochecknoglobals // constant

// rooms copies every setting; our own columns (grace period, ICS bookkeeping) take defaults.
func (r *run) rooms(ctx context.Context) error {
	return each(ctx, r, "room", `SELECT id, `+roomCols+` FROM room ORDER BY created_at, id`, r.room)
}

func (r *run) room(ctx context.Context, c *Counts, s srcRoom) error {
	id := r.idFor("room", s.ID)
	interval := 300 // the original's default, for rows from before the column had one
	if s.ICSFetchInterval != nil {
		interval = *s.ICSFetchInterval
	}
	var ck checker
	ck.oneOf("room_mode", s.RoomMode, roomModes)
	ck.oneOf("recording_type", s.RecordingType, recordingTypes)
	ck.oneOf("recording_trigger", s.RecordingTrigger, recordingTriggers)
	ck.oneOf("platform", s.Platform, platforms)
	if interval <= 0 {
		ck.fail("ics_fetch_interval %d is not positive", interval)
	}
	if ck.reason == "" {
		other, err := r.otherID(ctx, `SELECT id::text FROM room WHERE name = $1 AND id <> $2`, s.Name, id)
		if err != nil {
			return err
		}
		if other != "" {
			ck.fail("name %q is taken here by room %s", s.Name, other)
		}
	}
	if ck.reason != "" {
		r.rep.skip("room", s.ID, "%s", ck.reason)
		return nil
	}
	r.imported("room", s.ID, id)
	return roomTarget.write(ctx, r.dst, c, id, s.Name, s.UserID, s.CreatedAt, s.ZulipAutoPost, str(s.ZulipStream),
		str(s.ZulipTopic), s.IsLocked, s.RoomMode, s.RecordingType, s.RecordingTrigger, s.IsShared, s.WebhookURL,
		s.WebhookSecret, s.ICSURL, interval, s.ICSEnabled, s.ICSLastSync, s.ICSLastEtag, s.Platform, s.SkipConsent)
}

// ref maps a source reference to our id; the referenced row must have been imported.
func (r *run) ref(ck *checker, table, col string, id *string) uuid.UUID {
	if id == nil {
		ck.fail("%s is NULL", col)
		return uuid.Nil
	}
	to, ok := r.lookup(table, *id)
	if !ok {
		ck.fail("%s %s was not imported", table, *id)
	}
	return to
}
