// Package setup builds the dependencies the binaries share from the configuration: the
// provider registry and the platform policy. Everything else is wired in each main.
package setup

import (
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

// Platforms registers a client for every configured provider; obs (optional) records their
// calls for metrics.
func Platforms(cfg *config.Config, obs ...platform.CallObserver) (*platform.Registry, error) {
	var o platform.CallObserver
	if len(obs) > 0 {
		o = obs[0]
	}
	var clients []platform.Client
	if cfg.Daily.APIKey != "" {
		clients = append(clients, daily.New(daily.Config{
			BaseURL: cfg.Daily.APIURL, APIKey: cfg.Daily.APIKey, WebhookSecret: cfg.Daily.WebhookSecret,
			ReplayWindow: cfg.WebhookReplayWindow, Observer: o,
			RecordingsBucket: daily.Bucket{Name: cfg.Daily.BucketName, Region: cfg.Daily.BucketRegion,
				RoleARN: cfg.Daily.BucketRoleARN},
		}))
	}
	if cfg.Whereby.APIKey != "" {
		clients = append(clients, whereby.New(whereby.Config{
			BaseURL: cfg.Whereby.APIURL, APIKey: cfg.Whereby.APIKey, WebhookSecret: cfg.Whereby.WebhookSecret,
			ReplayWindow: cfg.WebhookReplayWindow, Observer: o,
			RecordingBucket: whereby.Bucket{Name: cfg.Whereby.BucketName, Region: cfg.Whereby.BucketRegion,
				AccessKeyID: cfg.Whereby.AccessKeyID, SecretAccessKey: cfg.Whereby.SecretKey},
		}))
	}
	if len(clients) == 0 {
		return nil, fmt.Errorf("no video platform configured: set DAILY_API_KEY or WHEREBY_API_KEY")
	}
	return platform.NewRegistry(clients...), nil
}

// PlatformFor returns the platform choice for new rooms: the selection policy, falling back
// to the default platform when the policy names a provider that is not configured.
func PlatformFor(cfg *config.Config, reg *platform.Registry) func(uuid.UUID) string {
	pol := Policy(cfg)
	names := reg.Names()
	return func(id uuid.UUID) string {
		if p := pol.ForRoom("", id.String()); slices.Contains(names, p) {
			return p
		}
		return cfg.DefaultPlatform
	}
}

// Policy is the platform selection policy of the configuration (DEFAULT_VIDEO_PLATFORM and
// the DAILY_MIGRATION_* flags), for new rooms and new meetings alike.
func Policy(cfg *config.Config) platform.Policy {
	return platform.Policy{Default: cfg.DefaultPlatform, DailyMigrationEnabled: cfg.DailyMigrationEnabled,
		DailyMigrationRoomIDs: cfg.DailyMigrationRoomIDs}
}
