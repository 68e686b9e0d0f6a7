package recording

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"go.uber.org/zap"
)

// Config holds the Service's dependencies and settings. Store, Objects, Prober, Transcriber,
// Transcripts, Logger and Now are required.
type Config struct {
	Store       Store
	Objects     Objects
	Prober      Prober
	Transcriber Transcriber
	S3Jobs      Enqueuer // needed by the nightly Whereby bucket sweep
	Downloads   DownloadEnqueuer
	Transcripts TranscriptEnqueuer
	Daily       DailyLister        // optional: the polling fallback is off without it
	DailyLinks  DailyLinks         // optional: needed for cloud recordings kept by Daily (no DailyBucket)
	Completed   CompletionNotifier // optional: told after a transcript generation completes
	HTTPClient  *http.Client       // downloads from provider links; nil means a client without timeout
	Logger      *zap.Logger
	Now         func() time.Time

	// Platforms are the configured providers; the nightly retry touches only these.
	Platforms []string
	// Bucket receives recordings downloaded from provider links.
	Bucket string
	// DailyBucket holds Daily's raw tracks and composed videos; WherebyBucket Whereby's files.
	DailyBucket, WherebyBucket string

	// DownloadAttempts bounds the tries of one download run (default 3); RetryBackoff is the
	// first pause between them, doubled each time (default 2 s).
	DownloadAttempts int
	RetryBackoff     time.Duration
	// MaxAttempts bounds the runs of a recording the nightly retry starts (default 4).
	MaxAttempts int
	// Lease is how long a recording or transcript may wait on its task without news before
	// RequeueStalled queues the task again; running work renews it every Lease/3 (default 2 min).
	Lease time.Duration
	// MaxRequeues bounds how often RequeueStalled restarts one waiting recording or transcript
	// (SWEEP_MAX_REQUEUES, default 30: an hour of 2-minute leases, so a queue backlog is not mistaken for a stall); the next expiry parks it failed and dead.
	MaxRequeues int
	// MissingAfter is how long after its end a meeting must have a recording (default 30 min);
	// MissingLookback how far back the ledger looks (default 7 days).
	MissingAfter, MissingLookback time.Duration
}

// The completeness ledger's default window: meetings that ended 30 min to 7 days ago.
const (
	defaultMissingAfter    = 30 * time.Minute
	defaultMissingLookback = 7 * 24 * time.Hour
)

// Service runs the recording flow.
type Service struct {
	cfg Config
	st  Store
	log *zap.Logger
	now func() time.Time
}

// NewService checks cfg and returns a Service.
func NewService(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Objects == nil || cfg.Prober == nil || cfg.Transcriber == nil ||
		cfg.Transcripts == nil || cfg.Logger == nil || cfg.Now == nil {
		return nil, errors.New("recording.NewService: Store, Objects, Prober, Transcriber, Transcripts, Logger and Now are required")
	}
	setDefaults(&cfg)
	return &Service{cfg: cfg, st: cfg.Store, log: cfg.Logger, now: cfg.Now}, nil
}

func setDefaults(cfg *Config) {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.DownloadAttempts <= 0 {
		cfg.DownloadAttempts = 3
	}
	if cfg.RetryBackoff == 0 {
		cfg.RetryBackoff = 2 * time.Second
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 4
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.MaxRequeues <= 0 {
		cfg.MaxRequeues = 30
	}
	if cfg.MissingAfter == 0 {
		cfg.MissingAfter = defaultMissingAfter
	}
	if cfg.MissingLookback == 0 {
		cfg.MissingLookback = defaultMissingLookback
	}
}

// platformEnabled reports whether the provider is configured.
func (s *Service) platformEnabled(p string) bool { return slices.Contains(s.cfg.Platforms, p) }

// move changes a recording's status after checking the move is one the flow makes.
func (s *Service) move(ctx context.Context, st Store, rec *Recording, to Status, errText string) error {
	if !CanMove(rec.Status, to) {
		return fmt.Errorf("recording %s: %w: %s → %s", rec.ID, ErrStatusConflict, rec.Status, to)
	}
	ch := StatusChange{From: rec.Status, To: to, At: s.now(), Error: errText}
	if err := st.RecordingSetStatus(ctx, rec.ID, ch); err != nil {
		return fmt.Errorf("recording %s %s → %s: %w", rec.ID, rec.Status, to, err)
	}
	rec.Status = to
	return nil
}

// fail marks a recording failed with reason and returns cause as a permanent error. The
// write uses a context that survives the caller's cancellation: the reason must land.
func (s *Service) fail(ctx context.Context, rec *Recording, cause error) error {
	ctx = context.WithoutCancel(ctx)
	if rec.Status != StatusFailed {
		if err := s.move(ctx, s.st, rec, StatusFailed, cause.Error()); err != nil {
			return errors.Join(Permanent(cause), err)
		}
	}
	s.log.Warn("recording failed", rec.LogFields(zap.Error(cause))...)
	return Permanent(cause)
}
