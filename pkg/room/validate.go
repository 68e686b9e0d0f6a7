package room

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Limits on room settings. Names are URL slugs and provider room-name prefixes.
const (
	MaxNameLen     = 64
	maxTextLen     = 1024
	maxURLLen      = 2048
	minICSInterval = 1 // the web app offers 1, 5, 10, 30 and 60; the original accepts any
	maxICSInterval = 7 * 24 * 3600
	maxGraceMin    = 24 * 60
)

// nameRe accepts what the web app's name field produces (letters, digits, '-'; spaces become
// '-', so a name may start with one) plus '_'.
var nameRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Input is the full set of settings of a new room. Zero values are filled with defaults by
// Normalize; Platform "" means the platform selection policy decides.
type Input struct {
	Name               string  `json:"name"`
	ZulipAutoPost      bool    `json:"zulip_auto_post"`
	ZulipStream        string  `json:"zulip_stream"`
	ZulipTopic         string  `json:"zulip_topic"`
	IsLocked           bool    `json:"is_locked"`
	RoomMode           string  `json:"room_mode"`
	RecordingType      string  `json:"recording_type"`
	RecordingTrigger   string  `json:"recording_trigger"`
	IsShared           bool    `json:"is_shared"`
	WebhookURL         string  `json:"webhook_url"`
	WebhookSecret      string  `json:"webhook_secret"`
	ICSURL             *string `json:"ics_url"`
	ICSFetchInterval   int     `json:"ics_fetch_interval"`
	ICSEnabled         bool    `json:"ics_enabled"`
	Platform           string  `json:"platform"`
	SkipConsent        bool    `json:"skip_consent"`
	GracePeriodMinutes *int    `json:"grace_period_minutes"`
}

// Patch carries the fields of a PATCH; only the fields sent are applied.
type Patch struct {
	Name               Opt[string] `json:"name"`
	ZulipAutoPost      Opt[bool]   `json:"zulip_auto_post"`
	ZulipStream        Opt[string] `json:"zulip_stream"`
	ZulipTopic         Opt[string] `json:"zulip_topic"`
	IsLocked           Opt[bool]   `json:"is_locked"`
	RoomMode           Opt[string] `json:"room_mode"`
	RecordingType      Opt[string] `json:"recording_type"`
	RecordingTrigger   Opt[string] `json:"recording_trigger"`
	IsShared           Opt[bool]   `json:"is_shared"`
	WebhookURL         Opt[string] `json:"webhook_url"`
	WebhookSecret      Opt[string] `json:"webhook_secret"`
	ICSURL             Opt[string] `json:"ics_url"`
	ICSFetchInterval   Opt[int]    `json:"ics_fetch_interval"`
	ICSEnabled         Opt[bool]   `json:"ics_enabled"`
	Platform           Opt[string] `json:"platform"`
	SkipConsent        Opt[bool]   `json:"skip_consent"`
	GracePeriodMinutes Opt[int]    `json:"grace_period_minutes"`
}

// build validates in and turns it into a room owned by userID on platform.
func (in Input) build(userID, platform string, platforms []string) (Room, error) {
	r := Room{
		Name: in.Name, UserID: userID, ZulipAutoPost: in.ZulipAutoPost, ZulipStream: in.ZulipStream,
		ZulipTopic: in.ZulipTopic, IsLocked: in.IsLocked, RoomMode: or(in.RoomMode, "normal"),
		RecordingType: or(in.RecordingType, "cloud"), RecordingTrigger: or(in.RecordingTrigger, "automatic-2nd-participant"),
		IsShared: in.IsShared, ICSURL: nonEmpty(deref(in.ICSURL)), ICSFetchInterval: in.ICSFetchInterval,
		ICSEnabled: in.ICSEnabled, Platform: or(in.Platform, platform), SkipConsent: in.SkipConsent,
		GracePeriodMinutes: 15,
	}
	if r.ICSFetchInterval == 0 {
		r.ICSFetchInterval = 300
	}
	if in.GracePeriodMinutes != nil {
		r.GracePeriodMinutes = *in.GracePeriodMinutes
	}
	r.WebhookURL, r.WebhookSecret = webhook(in.WebhookURL, in.WebhookSecret)
	return r, validate(r, platforms)
}

// apply returns r with the patch applied and validated.
func (p Patch) apply(r Room, platforms []string) (Room, error) {
	setIf(&r.Name, p.Name)
	setIf(&r.ZulipAutoPost, p.ZulipAutoPost)
	setIf(&r.ZulipStream, p.ZulipStream)
	setIf(&r.ZulipTopic, p.ZulipTopic)
	setIf(&r.IsLocked, p.IsLocked)
	setIf(&r.RoomMode, p.RoomMode)
	setIf(&r.RecordingType, p.RecordingType)
	setIf(&r.RecordingTrigger, p.RecordingTrigger)
	setIf(&r.IsShared, p.IsShared)
	setIf(&r.ICSFetchInterval, p.ICSFetchInterval)
	setIf(&r.ICSEnabled, p.ICSEnabled)
	setIf(&r.Platform, p.Platform)
	setIf(&r.SkipConsent, p.SkipConsent)
	setIf(&r.GracePeriodMinutes, p.GracePeriodMinutes)
	if p.ICSURL.Set {
		if next := nonEmpty(p.ICSURL.V); deref(next) != deref(r.ICSURL) {
			r.ICSLastSync, r.ICSLastEtag = nil, nil // the store resets the old feed's state too
		}
		r.ICSURL = nonEmpty(p.ICSURL.V)
	}
	if p.WebhookURL.Set || p.WebhookSecret.Set {
		u, s := deref(r.WebhookURL), deref(r.WebhookSecret)
		if p.WebhookURL.Set {
			u = p.WebhookURL.V
			if !p.WebhookSecret.Set {
				s = "" // a new URL without a secret gets a fresh secret, as the original does
			}
		}
		if p.WebhookSecret.Set {
			s = p.WebhookSecret.V
		}
		r.WebhookURL, r.WebhookSecret = webhook(u, s)
	}
	return r, validate(r, platforms)
}

func validate(r Room, platforms []string) error {
	v := &ValidationError{}
	switch {
	case r.Name == "":
		v.add("name", "Field required", "missing")
	case len(r.Name) > MaxNameLen:
		v.add("name", fmt.Sprintf("String should have at most %d characters", MaxNameLen), "string_too_long")
	case !nameRe.MatchString(r.Name):
		v.add("name", "Room name may only contain letters, digits, '-' and '_'", "string_pattern_mismatch")
	}
	enum(v, "room_mode", r.RoomMode, RoomModes)
	enum(v, "recording_type", r.RecordingType, RecordingTypes)
	enum(v, "recording_trigger", r.RecordingTrigger, RecordingTriggers)
	enum(v, "platform", r.Platform, platforms)
	maxLen(v, "zulip_stream", r.ZulipStream, maxTextLen)
	maxLen(v, "zulip_topic", r.ZulipTopic, maxTextLen)
	maxLen(v, "webhook_secret", deref(r.WebhookSecret), maxTextLen)
	httpURL(v, "webhook_url", deref(r.WebhookURL))
	httpURL(v, "ics_url", deref(r.ICSURL))
	if r.ICSFetchInterval < minICSInterval || r.ICSFetchInterval > maxICSInterval {
		v.add("ics_fetch_interval", fmt.Sprintf("Input should be between %d and %d", minICSInterval, maxICSInterval), "range")
	}
	if r.GracePeriodMinutes < 0 || r.GracePeriodMinutes > maxGraceMin {
		v.add("grace_period_minutes", fmt.Sprintf("Input should be between 0 and %d", maxGraceMin), "range")
	}
	return v.errOrNil()
}

func enum(v *ValidationError, field, val string, allowed []string) {
	if !slices.Contains(allowed, val) {
		v.add(field, "Input should be "+quoteList(allowed), "enum")
	}
}

func maxLen(v *ValidationError, field, val string, n int) {
	if len(val) > n {
		v.add(field, fmt.Sprintf("String should have at most %d characters", n), "string_too_long")
	}
}

func httpURL(v *ValidationError, field, val string) {
	if val == "" {
		return
	}
	u, err := url.Parse(val)
	if len(val) > maxURLLen || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.add(field, "Input should be a valid http or https URL", "url_parsing")
	}
}

func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, s := range vals {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// webhook normalises the webhook pair: a URL without a secret gets a generated secret.
func webhook(u, s string) (*string, *string) {
	if u == "" {
		return nil, nonEmpty(s)
	}
	if s == "" {
		s = newSecret()
	}
	return &u, &s
}

func setIf[T any](dst *T, o Opt[T]) {
	if o.Set && !o.Null {
		*dst = o.V
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
