package recording

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// Reprocess starts a new generation of a transcript and queues it; runs of older
// generations become no-ops. Without force only a transcript that is not done (failed, or
// handed off and never finished) is restarted; force also restarts one that is processing
// or ended. It returns the new generation.
func (s *Service) Reprocess(ctx context.Context, transcriptID uuid.UUID, force bool) (int, error) {
	var gen int
	var t Transcript
	err := s.st.InTx(ctx, func(tx Store) error {
		var err error
		if t, err = tx.TranscriptLock(ctx, transcriptID); err != nil {
			return err
		}
		if err := reprocessAllowed(t, force); err != nil {
			return err
		}
		if err := s.resetRecording(ctx, tx, t.RecordingID); err != nil {
			return err
		}
		gen, err = tx.TranscriptBumpGeneration(ctx, transcriptID, s.now())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("recording.Reprocess %s: %w", transcriptID, err)
	}
	if err := s.cfg.Transcripts.EnqueueTranscript(ctx, transcriptID, gen); err != nil {
		return gen, fmt.Errorf("recording.Reprocess %s: enqueue: %w", transcriptID, err)
	}
	t.Generation = gen
	s.log.Info("transcript reprocessing queued", t.LogFields(zap.Bool("force", force))...)
	return gen, nil
}

func reprocessAllowed(t Transcript, force bool) error {
	switch {
	case t.AudioDeleted:
		return ErrAudioDeleted
	case force:
		return nil
	case t.Status == TranscriptProcessing:
		return ErrInProgress
	case t.Status == TranscriptEnded:
		return ErrAlreadyDone
	}
	return nil
}

// resetRecording puts a failed recording whose audio is stored back to stored.
func (s *Service) resetRecording(ctx context.Context, tx Store, id uuid.UUID) error {
	rec, err := tx.RecordingLock(ctx, id)
	if err != nil || rec.Status != StatusFailed {
		return err
	}
	return s.move(ctx, tx, &rec, StatusStored, "")
}
