// Package logging builds the service's zap logger.
package logging

import (
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a production logger (JSON) or a console logger for development. Its lines are
// redacted (see Redacting), after any core opts install (a test's observer sees what the
// process would write).
func New(level zapcore.Level, json bool, opts ...zap.Option) (*zap.Logger, error) {
	cfg := zap.NewProductionConfig()
	if !json {
		cfg = zap.NewDevelopmentConfig()
	}
	cfg.Level = zap.NewAtomicLevelAt(level)
	cfg.DisableStacktrace = true
	return cfg.Build(append(opts, RedactOption())...)
}
