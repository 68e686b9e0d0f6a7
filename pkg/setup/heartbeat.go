package setup

import (
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/heartbeat"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// Heartbeat is the worker's pinger of HEALTHCHECK_URL; nil when it is not set.
func Heartbeat(cfg *config.Config) tasks.HealthcheckPinger {
	if cfg.Ops.HealthcheckURL == "" {
		return nil
	}
	return heartbeat.Pinger{URL: cfg.Ops.HealthcheckURL}
}
