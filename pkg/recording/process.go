package recording

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/transcribe"
)

// ProcessTranscript transcribes one generation of a transcript (the task behind
// TranscriptEnqueuer): one request per audio track, speakers named from the meeting's
// participant sessions. A run for an old generation, or for a generation already done, is a
// no-op; results of a run overtaken by Reprocess are dropped. If a participant refused
// consent, the audio objects are deleted afterwards and audio_deleted is set.
func (s *Service) ProcessTranscript(ctx context.Context, transcriptID uuid.UUID, generation int) error {
	t, rec, run, err := s.claim(ctx, transcriptID, generation)
	if err != nil {
		return fmt.Errorf("recording.ProcessTranscript %s/%d: %w", transcriptID, generation, err)
	}
	if run {
		stop := s.renewLease(ctx, s.st.TranscriptTouch, transcriptID, t.LogFields())
		err := s.transcribeAndSave(ctx, t, rec)
		stop()
		if err != nil {
			return fmt.Errorf("recording.ProcessTranscript %s/%d: %w", transcriptID, generation, err)
		}
		s.log.Info("transcript done", t.LogFields()...)
	}
	// A retry after a lost notification finds the generation ended and tells again.
	if s.cfg.Completed != nil && (run || (t.Status == TranscriptEnded && t.Generation == generation)) {
		if err := s.notifyCompleted(ctx, transcriptID, generation); err != nil {
			return fmt.Errorf("recording.ProcessTranscript %s/%d: %w", transcriptID, generation, err)
		}
	}
	if err := s.consentCleanup(ctx, transcriptID, generation); err != nil {
		return fmt.Errorf("recording.ProcessTranscript %s/%d: %w", transcriptID, generation, err)
	}
	return nil
}

// claim marks the transcript and its recording processing; run is false when this
// generation is stale or already done.
func (s *Service) claim(ctx context.Context, id uuid.UUID, gen int) (Transcript, Recording, bool, error) {
	var t Transcript
	var rec Recording
	run := false
	err := s.st.InTx(ctx, func(tx Store) error {
		var err error
		if t, err = tx.TranscriptLock(ctx, id); err != nil {
			return err
		}
		if t.Generation != gen || t.Status == TranscriptEnded || t.Status == TranscriptError {
			return nil
		}
		if t.AudioDeleted {
			return ErrAudioDeleted
		}
		if rec, err = tx.RecordingLock(ctx, t.RecordingID); err != nil {
			return err
		}
		if rec.Status != StatusProcessing {
			if err := s.move(ctx, tx, &rec, StatusProcessing, ""); err != nil {
				return err
			}
		}
		run = true
		return tx.TranscriptSetStatus(ctx, id, TranscriptProcessing, "", s.now())
	})
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrAudioDeleted) {
		err = Permanent(err)
	}
	if !run && err == nil {
		s.log.Info("transcript run skipped", t.LogFields(zap.Int("run_generation", gen), zap.String("status", string(t.Status)))...)
	}
	return t, rec, run, err
}

// transcribeAndSave runs the speech-to-text and stores the result if the generation is
// still current. A permanent endpoint error fails the transcript and the recording.
func (s *Service) transcribeAndSave(ctx context.Context, t Transcript, rec Recording) error {
	sessions, err := s.st.ParticipantSessionsForMeeting(ctx, t.MeetingID)
	if err != nil {
		return err
	}
	res, err := s.transcribeTracks(ctx, t, rec, sessions)
	if err != nil {
		if transcribe.IsPermanent(err) || errors.Is(err, ErrPermanent) {
			return s.FailTranscript(ctx, t.ID, t.Generation, err)
		}
		s.noteTranscriptError(ctx, t, err)
		return err
	}
	t.Segments, t.Participants, t.Duration = res.segments, res.participants, res.durationMs
	return s.st.InTx(ctx, func(tx Store) error {
		cur, err := tx.TranscriptLock(ctx, t.ID)
		if err != nil {
			return err
		}
		if cur.Generation != t.Generation {
			s.log.Info("dropping results of an overtaken run", t.LogFields(zap.Int("current_generation", cur.Generation))...)
			return nil
		}
		if err := tx.TranscriptSaveResult(ctx, t, s.now()); err != nil {
			return err
		}
		r, err := tx.RecordingLock(ctx, rec.ID)
		if err != nil || r.Status == StatusCompleted {
			return err
		}
		return s.move(ctx, tx, &r, StatusCompleted, "")
	})
}

// noteTranscriptError keeps the last transient error visible while the task layer retries.
func (s *Service) noteTranscriptError(ctx context.Context, t Transcript, cause error) {
	s.log.Warn("transcription try failed; the task is retried", t.LogFields(zap.Error(cause))...)
	if err := s.st.TranscriptSetStatus(ctx, t.ID, TranscriptProcessing, cause.Error(), s.now()); err != nil {
		s.log.Warn("note transcript error", t.LogFields(zap.Error(err))...)
	}
}

// FailTranscript marks a generation of a transcript and its recording failed and returns
// cause as a permanent error. The task layer also calls it when it gives up retrying.
// A stale generation is left alone.
func (s *Service) FailTranscript(ctx context.Context, transcriptID uuid.UUID, generation int, cause error) error {
	ctx = context.WithoutCancel(ctx)
	t := Transcript{ID: transcriptID, Generation: generation}
	err := s.st.InTx(ctx, func(tx Store) error {
		cur, err := tx.TranscriptLock(ctx, transcriptID)
		if err != nil || cur.Generation != generation {
			return err
		}
		t = cur
		if err := tx.TranscriptSetStatus(ctx, transcriptID, TranscriptError, cause.Error(), s.now()); err != nil {
			return err
		}
		rec, err := tx.RecordingLock(ctx, t.RecordingID)
		if err != nil || rec.Status == StatusFailed {
			return err
		}
		return s.move(ctx, tx, &rec, StatusFailed, cause.Error())
	})
	if err != nil {
		return errors.Join(Permanent(cause), fmt.Errorf("recording.FailTranscript %s: %w", transcriptID, err))
	}
	s.log.Warn("transcript failed", t.LogFields(zap.Error(cause))...)
	return Permanent(cause)
}

// notifyCompleted tells the notifier if the generation is (still) the ended one: an
// overtaken run saved nothing.
func (s *Service) notifyCompleted(ctx context.Context, id uuid.UUID, gen int) error {
	cur, err := s.st.TranscriptLock(ctx, id) // outside a transaction: a plain read
	if err != nil || cur.Generation != gen || cur.Status != TranscriptEnded {
		return err
	}
	return s.cfg.Completed.TranscriptCompleted(ctx, id, gen)
}
