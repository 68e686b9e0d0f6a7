package recording

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/transcribe"
)

// TrackRef names the speech-to-text request of one audio track of a transcript generation.
type TrackRef struct {
	TranscriptID uuid.UUID
	Generation   int
	Key          string
}

// recognise returns the speech-to-text result of one track, asking the endpoint only when
// no result is stored. The attempt is recorded before the request and the result stored
// once after it: a crash in between repeats this one request, never another track's, and two
// runs racing on one track keep the first result stored (both return it).
func (s *Service) recognise(ctx context.Context, t Transcript, ref TrackRef, filename string, open func() (io.ReadCloser, error)) (transcribe.Result, error) {
	if res, ok, err := s.st.TrackResult(ctx, ref); err != nil || ok {
		return res, err
	}
	body, err := open()
	if err != nil {
		return transcribe.Result{}, err
	}
	defer body.Close()
	if err := s.st.TrackAttempt(ctx, ref, s.now()); err != nil {
		return transcribe.Result{}, err
	}
	res, err := s.cfg.Transcriber.Transcribe(ctx, filename, body)
	if err != nil {
		return transcribe.Result{}, fmt.Errorf("track %s: %w", ref.Key, err)
	}
	saved, err := s.st.TrackSaveResult(ctx, ref, res, s.now())
	if err != nil {
		return transcribe.Result{}, err
	}
	if !saved { // another run stored this track first: use its result, not ours
		s.log.Info("track result already stored; keeping the first", t.LogFields(zap.String("track", ref.Key))...)
		res, _, err = s.st.TrackResult(ctx, ref)
	}
	return res, err
}
