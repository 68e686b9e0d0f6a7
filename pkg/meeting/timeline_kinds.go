package meeting

// Kinds of timeline events written outside the meeting service: by the webhook inbox, the
// participant-session store and recording ingestion, each in the transaction (or statement)
// of the change it records.
const (
	// EventWebhook: a provider webhook about the meeting was applied (detail: type, event id,
	// inbox row, when it was received, and a note when it had no effect).
	EventWebhook = "webhook"
	// EventJoined and EventLeft: a participant session opened or closed (detail: session id,
	// source "client" for /joined and /leave, "presence" for a provider read).
	EventJoined = "joined"
	EventLeft   = "left"
	// EventPresenceRead: presence:poll read the provider room (detail: result ok with the
	// participants present, or unknown with the error). process-meetings' reads are in its
	// decision rows; presence:reconcile's show as the joined and left rows they cause.
	EventPresenceRead = "presence_read"
	// Recording events: the provider started recording (the first start), stopped it
	// (written by the webhook inbox: finished, or an error with the provider's message), a recording of
	// the meeting became known (ready: the provider's file exists, the Daily ready webhook,
	// the S3 notification or the recordings poll), it was stored and validated (ingested), or
	// failed, and a transcript of it was done. Detail: recording or transcript id and status.
	EventRecordingStarted  = "recording_started"
	EventRecordingStopped  = "recording_stopped"
	EventRecordingReady    = "recording_ready"
	EventRecordingIngested = "recording_ingested"
	EventRecordingFailed   = "recording_failed"
	EventTranscriptDone    = "transcript_done"
)
