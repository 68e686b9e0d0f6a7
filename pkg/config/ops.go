package config

import "net/url"

// OpsConfig holds the original's optional integrations: error reporting to Sentry and the
// dead-man's-switch ping of an uptime monitor.
type OpsConfig struct {
	// SentryDSN (SENTRY_DSN) turns on error reporting; SentryEnvironment tags the events.
	SentryDSN         string
	SentryEnvironment string
	// HealthcheckURL (HEALTHCHECK_URL), when set, is fetched every 10 minutes by a periodic
	// task: the scheduler emits it and a worker runs it, so the monitor hears from both.
	HealthcheckURL string
}

func readOps(r *reader) OpsConfig {
	o := OpsConfig{SentryDSN: r.str("SENTRY_DSN", ""), SentryEnvironment: r.str("SENTRY_ENVIRONMENT", ""),
		HealthcheckURL: r.str("HEALTHCHECK_URL", "")}
	if o.HealthcheckURL != "" {
		// The value is not quoted back: ping URLs carry their check's secret id.
		if u, err := url.Parse(o.HealthcheckURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.fail("HEALTHCHECK_URL", "must be an http(s) URL")
		}
	}
	return o
}

func (o OpsConfig) redacted() map[string]any {
	return map[string]any{"sentry_dsn": mask(o.SentryDSN), "sentry_environment": o.SentryEnvironment,
		"healthcheck_url": mask(o.HealthcheckURL)}
}
