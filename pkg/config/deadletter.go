package config

// DeadLetterConfig bounds retries of work that keeps failing, so a poison message or a state
// no run can finish is parked in a visible dead state instead of looping forever.
type DeadLetterConfig struct {
	// WebhookMaxAttempts (WEBHOOK_MAX_ATTEMPTS) bounds the processing runs of one webhook
	// inbox row; after that many failed or unfinished runs it is dead-lettered (dead_at) and
	// only `reflectorctl webhooks replay` brings it back. At most 11: one processing task
	// runs 11 times (10 retries), and the cap must stop it before asynq archives it.
	WebhookMaxAttempts int
	// MaxRequeues (SWEEP_MAX_REQUEUES) bounds how often a lease sweep restarts one waiting
	// state (a recording download or hand-off, a transcription, a provider room delete)
	// whose lease expired; the next expiry marks it failed and dead.
	MaxRequeues int
}

// maxWebhookAttempts is the number of runs of one webhook:process task (MaxRetry 10).
const maxWebhookAttempts = 11

func loadDeadLetter(r *reader) DeadLetterConfig {
	c := DeadLetterConfig{
		WebhookMaxAttempts: r.integer("WEBHOOK_MAX_ATTEMPTS", 10),
		MaxRequeues:        r.integer("SWEEP_MAX_REQUEUES", 30),
	}
	if c.WebhookMaxAttempts < 1 || c.WebhookMaxAttempts > maxWebhookAttempts {
		r.fail("WEBHOOK_MAX_ATTEMPTS", "must be between 1 and 11")
	}
	if c.MaxRequeues < 1 {
		r.fail("SWEEP_MAX_REQUEUES", "must be positive")
	}
	return c
}
