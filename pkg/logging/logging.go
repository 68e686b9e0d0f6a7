// Package logging builds the service's zap logger.
package logging

import (
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a production logger (JSON) or a console logger for development.
func New(level zapcore.Level, json bool) (*zap.Logger, error) {
	cfg := zap.NewProductionConfig()
	if !json {
		cfg = zap.NewDevelopmentConfig()
	}
	cfg.Level = zap.NewAtomicLevelAt(level)
	cfg.DisableStacktrace = true
	return cfg.Build()
}
