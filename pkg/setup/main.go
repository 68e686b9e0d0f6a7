package setup

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/errreport"
	"github.com/monadical/reflector-go/pkg/logging"
)

// Main is the shared main of the long-running binaries: load and validate the configuration
// (a bad value exits 2 with one line naming the variable), build the logger, and run until
// SIGINT or SIGTERM cancels the context.
func Main(name string, run func(ctx context.Context, cfg *config.Config, log *zap.Logger) error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(2)
	}
	log, err := logging.New(cfg.LogLevel, cfg.LogJSON)
	if err != nil {
		fmt.Fprintln(os.Stderr, "logger:", err)
		os.Exit(2)
	}
	rep, err := errreport.New(errreport.Options{DSN: cfg.Ops.SentryDSN, Environment: cfg.Ops.SentryEnvironment, Process: name})
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(2)
	}
	log = rep.Wrap(log) // with SENTRY_DSN, error lines are reported
	defer reportPanic(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log.With(zap.String("process", name))); err != nil {
		log.Error(name+" stopped", zap.Error(err))
		_ = log.Sync() // also flushes the error reporter
		stop()
		os.Exit(1) //nolint:gocritic // stop and Sync already ran
	}
	_ = log.Sync()
}

// reportPanic logs (and so reports) a panic of run's goroutine, then lets it crash the process.
func reportPanic(log *zap.Logger) {
	if p := recover(); p != nil {
		log.Error("panic", zap.Any("panic", p), zap.StackSkip("stack", 2))
		_ = log.Sync()
		panic(p)
	}
}
