package store

// Timeline rows of recording changes, as CTE parts of the statements that make the changes
// (so each commits with its change). Each names the CTE it reads: ins (inserted recording
// rows), u (updated recording or transcript rows); only rows with a meeting are recorded.
const (
	// recordingReadyEvent: a recording of the meeting became known (RecordingInsert; $16 its time).
	recordingReadyEvent = `INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
		SELECT meeting_id, COALESCE($16, now()), 'recording_ready', platform,
			jsonb_build_object('recording_id', id, 'kind', kind, 'recorded_at', recorded_at, 'status', status)
		FROM ins WHERE meeting_id IS NOT NULL`
	// recordingStatusEvent: a recording was stored (ingested) or failed (RecordingSetStatus; $4 the time).
	recordingStatusEvent = `INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
		SELECT meeting_id, $4, CASE status WHEN 'stored' THEN 'recording_ingested' ELSE 'recording_failed' END, 'worker',
			jsonb_strip_nulls(jsonb_build_object('recording_id', id, 'status', status, 'size_bytes', size_bytes,
				'duration', duration, 'error', CASE WHEN status = 'failed' THEN last_error END))
		FROM u WHERE meeting_id IS NOT NULL AND status IN ('stored', 'failed')`
	// transcriptDoneEvent: a transcript generation was saved (TranscriptSaveResult; $5 the time).
	transcriptDoneEvent = `INSERT INTO meeting_event (meeting_id, at, kind, actor, detail)
		SELECT meeting_id, $5, 'transcript_done', 'worker',
			jsonb_build_object('transcript_id', id, 'recording_id', recording_id, 'generation', generation, 'duration', duration)
		FROM u WHERE meeting_id IS NOT NULL`
)
