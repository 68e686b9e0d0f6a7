package recording

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// handOff creates the recording's transcript if it has none and queues its transcription.
// The transcript is committed before the enqueue (asynq cannot join our transaction); the
// task id transcript:process:<id>:<generation> turns repeated hand-offs into one task, and
// RequeueStalled re-enqueues what a crash between commit and enqueue lost.
func (s *Service) handOff(ctx context.Context, recID uuid.UUID) error {
	var t Transcript
	var enqueue bool
	err := s.st.InTx(ctx, func(tx Store) error {
		rec, err := tx.RecordingLock(ctx, recID)
		if err != nil {
			return err
		}
		if rec.MeetingID == nil || rec.Kind == KindCloud {
			return nil // orphans and composed videos are not transcribed
		}
		t, err = s.ensureTranscript(ctx, tx, rec)
		enqueue = err == nil && (t.Status == TranscriptUploaded || t.Status == TranscriptIdle)
		return err
	})
	if err != nil {
		return fmt.Errorf("hand off recording %s: %w", recID, err)
	}
	if !enqueue {
		return nil
	}
	if err := s.cfg.Transcripts.EnqueueTranscript(ctx, t.ID, t.Generation); err != nil {
		return fmt.Errorf("hand off recording %s: enqueue transcript %s: %w", recID, t.ID, err)
	}
	s.log.Info("transcript queued", t.LogFields()...)
	return nil
}

// ensureTranscript returns the recording's transcript, creating it in the original's shape.
func (s *Service) ensureTranscript(ctx context.Context, tx Store, rec Recording) (Transcript, error) {
	t, err := tx.TranscriptForRecording(ctx, rec.ID)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return t, err
	}
	m, err := tx.MeetingByID(ctx, *rec.MeetingID)
	if err != nil {
		return Transcript{}, fmt.Errorf("meeting %s: %w", *rec.MeetingID, err)
	}
	t = newTranscript(rec, m)
	t.CreatedAt = s.now()
	if err := tx.TranscriptInsert(ctx, t); err != nil {
		return Transcript{}, err
	}
	return t, nil
}
