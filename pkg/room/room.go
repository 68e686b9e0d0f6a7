// Package room owns rooms: their settings, validation and access rules (owner, shared,
// webhook-secret visibility), and the service the API calls to manage them.
package room

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/google/uuid"
)

// Room is a user's meeting room; its meetings run on Platform.
type Room struct {
	ID                 uuid.UUID  `db:"id" json:"id"`
	Name               string     `db:"name" json:"name"`
	UserID             string     `db:"user_id" json:"user_id"`
	CreatedAt          time.Time  `db:"created_at" json:"created_at"`
	ZulipAutoPost      bool       `db:"zulip_auto_post" json:"zulip_auto_post"`
	ZulipStream        string     `db:"zulip_stream" json:"zulip_stream"`
	ZulipTopic         string     `db:"zulip_topic" json:"zulip_topic"`
	IsLocked           bool       `db:"is_locked" json:"is_locked"`
	RoomMode           string     `db:"room_mode" json:"room_mode"`
	RecordingType      string     `db:"recording_type" json:"recording_type"`
	RecordingTrigger   string     `db:"recording_trigger" json:"recording_trigger"`
	IsShared           bool       `db:"is_shared" json:"is_shared"`
	WebhookURL         *string    `db:"webhook_url" json:"webhook_url"`
	WebhookSecret      *string    `db:"webhook_secret" json:"webhook_secret"`
	ICSURL             *string    `db:"ics_url" json:"ics_url"`
	ICSFetchInterval   int        `db:"ics_fetch_interval" json:"ics_fetch_interval"`
	ICSEnabled         bool       `db:"ics_enabled" json:"ics_enabled"`
	ICSLastSync        *time.Time `db:"ics_last_sync" json:"ics_last_sync"`
	ICSLastEtag        *string    `db:"ics_last_etag" json:"ics_last_etag"`
	Platform           string     `db:"platform" json:"platform"`
	SkipConsent        bool       `db:"skip_consent" json:"skip_consent"`
	GracePeriodMinutes int        `db:"grace_period_minutes" json:"grace_period_minutes"`
}

// IsOwner reports whether userID owns the room. Anonymous callers ("") own nothing.
func (r Room) IsOwner(userID string) bool { return userID != "" && r.UserID == userID }

// CanRead reports whether userID may read the room by id: its owner, or anyone if shared.
func (r Room) CanRead(userID string) bool { return r.IsShared || r.IsOwner(userID) }

// Redacted returns the room as a caller who is not its owner may see it: without the
// webhook URL and secret, and without the calendar feed URL (a private feed's URL is its
// credential). This is the one place the room's owner-only fields are listed.
func (r Room) Redacted(userID string) Room {
	if !r.IsOwner(userID) {
		r.WebhookURL, r.WebhookSecret, r.ICSURL = nil, nil, nil
	}
	return r
}

// Allowed values of the enum-like settings.
var (
	RoomModes         = []string{"normal", "group"}                                          //nolint:gochecknoglobals // constant table
	RecordingTypes    = []string{"none", "local", "cloud"}                                   //nolint:gochecknoglobals // constant table
	RecordingTriggers = []string{"none", "prompt", "automatic", "automatic-2nd-participant"} //nolint:gochecknoglobals // constant table
)

// newSecret makes a webhook secret as the original does (32 random bytes, URL-safe base64).
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
