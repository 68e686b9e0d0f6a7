package config

import (
	"net/url"
	"strconv"
)

// Enabled reports whether the recording pipeline runs: it needs somewhere to send the audio
// (TRANSCRIPTION_URL). Without it the worker logs that ingestion is disabled and the
// scheduler emits no recording jobs.
func (r RecordingConfig) Enabled() bool { return r.TranscriptionURL != "" }

// S3PathStyle reports whether buckets are addressed as http://host/bucket/key: local
// S3-compatible stores behind an endpoint override (gofakes3, MinIO) need it.
func (r RecordingConfig) S3PathStyle() bool { return r.S3EndpointURL != "" }

func (r RecordingConfig) validate(rd *reader) {
	for _, v := range []struct{ key, val string }{
		{"TRANSCRIPTION_URL", r.TranscriptionURL},
		{"TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL", r.S3EndpointURL},
		{"AWS_SQS_ENDPOINT_URL", r.SQSEndpointURL},
		{"AWS_PROCESS_RECORDING_QUEUE_URL", r.SQSQueueURL},
	} {
		if u, err := url.Parse(v.val); v.val != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			rd.fail(v.key, "must be an http(s) URL, got "+strconv.Quote(v.val))
		}
	}
	if r.Lease <= 0 {
		rd.fail("RECORDING_LEASE", "must be positive")
	}
	if r.SQSQueueURL != "" && r.SQSPollInterval <= 0 {
		rd.fail("SQS_POLLING_INTERVAL", "must be positive")
	}
}

// redacted lists the recording settings for the start-up log, secrets masked.
func (r RecordingConfig) redacted() map[string]any {
	return map[string]any{
		"enabled": r.Enabled(), "sqs_queue_url": r.SQSQueueURL, "sqs_polling_interval": r.SQSPollInterval.String(),
		"aws_region": r.AWSRegion, "aws_access_key_id": mask(r.AWSAccessKeyID), "s3_endpoint_url": r.S3EndpointURL,
		"sqs_endpoint_url": r.SQSEndpointURL, "bucket": r.StorageBucket, "transcription_url": r.TranscriptionURL,
		"transcription_model": r.TranscriptionModel, "transcription_api_key": mask(r.TranscriptionKey),
		"lease": r.Lease.String(),
	}
}
