package recording

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"

	"github.com/google/uuid"
)

// transcription is the merged result of every track of a recording.
type transcription struct {
	segments     Segments
	participants Participants
	durationMs   float64
}

// transcribeTracks sends each audio track to the endpoint, one request per track, and merges
// the segments by time. A Daily track starts later than the recording; its segments are
// shifted by the difference so every speaker shares one timeline.
func (s *Service) transcribeTracks(ctx context.Context, t Transcript, rec Recording, sessions []ParticipantSession) (transcription, error) {
	out := transcription{segments: Segments{}, participants: Participants{}}
	for i, key := range rec.AudioKeys() {
		p, offset := speaker(i, key, sessions)
		ref := TrackRef{TranscriptID: t.ID, Generation: t.Generation, Key: key}
		segs, end, err := s.transcribeTrack(ctx, t, rec.Bucket, ref, i, offset)
		if err != nil {
			return transcription{}, err
		}
		out.participants = append(out.participants, p)
		out.segments = append(out.segments, segs...)
		out.durationMs = max(out.durationMs, end*1000)
	}
	if rec.Duration > 0 {
		out.durationMs = rec.Duration * 1000
	}
	sort.SliceStable(out.segments, func(a, b int) bool { return out.segments[a].Start < out.segments[b].Start })
	return out, nil
}

func (s *Service) transcribeTrack(ctx context.Context, t Transcript, bucket string, ref TrackRef, idx int, offset float64) (Segments, float64, error) {
	open := func() (io.ReadCloser, error) {
		body, _, err := s.cfg.Objects.Open(ctx, bucket, ref.Key)
		if err != nil {
			return nil, fmt.Errorf("open track %s: %w", ref.Key, err)
		}
		return body, nil
	}
	res, err := s.recognise(ctx, t, ref, trackFilename(ref.Key), open)
	if err != nil {
		return nil, 0, err
	}
	segs := make(Segments, 0, len(res.Segments))
	end := offset + res.Duration
	for _, sg := range res.Segments {
		segs = append(segs, Segment{Speaker: idx, Start: sg.Start + offset, End: sg.End + offset, Text: sg.Text})
		end = max(end, sg.End+offset)
	}
	return segs, end, nil
}

// trackFilename names an upload for the endpoint, which guesses the format from the
// extension; Daily's raw tracks are WebM without one.
func trackFilename(key string) string {
	name := path.Base(key)
	if path.Ext(name) == "" {
		if _, ok := ParseTrackKey(key); ok {
			return name + ".webm"
		}
	}
	return name
}

// speaker names track idx from the participant session in its key (Daily raw tracks), or
// "Speaker <idx>"; offset is the track's start in seconds after the recording's.
func speaker(idx int, key string, sessions []ParticipantSession) (Participant, float64) {
	p := Participant{Speaker: idx, Name: fmt.Sprintf("Speaker %d", idx)}
	tk, ok := ParseTrackKey(key)
	if !ok {
		return p, 0
	}
	p.SessionID = tk.SessionID
	for _, ps := range sessions {
		if ps.SessionID == tk.SessionID {
			p.Name, p.UserID = ps.UserName, ps.UserID
			break
		}
	}
	return p, float64(max(tk.TrackStartMs-tk.RecordingStartMs, 0)) / 1000
}

// consentCleanup deletes the audio of a finished transcript whose meeting had a refusal.
// It runs again on a retried task until audio_deleted is set.
func (s *Service) consentCleanup(ctx context.Context, id uuid.UUID, gen int) error {
	t, rec, ok, err := s.needsCleanup(ctx, id, gen)
	if err != nil || !ok {
		return err
	}
	for _, key := range rec.AudioKeys() {
		if err := s.cfg.Objects.Delete(ctx, rec.Bucket, key); err != nil {
			return fmt.Errorf("consent clean-up: %w", err)
		}
	}
	if err := s.st.TranscriptSetAudioDeleted(ctx, t.ID, s.now()); err != nil {
		return fmt.Errorf("consent clean-up: %w", err)
	}
	s.log.Info("audio deleted: consent refused", t.LogFields()...)
	return nil
}

func (s *Service) needsCleanup(ctx context.Context, id uuid.UUID, gen int) (Transcript, Recording, bool, error) {
	var t Transcript
	var rec Recording
	var denied bool
	err := s.st.InTx(ctx, func(tx Store) error {
		var err error
		if t, err = tx.TranscriptLock(ctx, id); err != nil {
			return err
		}
		if t.Generation != gen || t.Status != TranscriptEnded || t.AudioDeleted {
			return nil
		}
		if denied, err = tx.MeetingConsentDenied(ctx, t.MeetingID); err != nil || !denied {
			return err
		}
		rec, err = tx.RecordingByID(ctx, t.RecordingID)
		return err
	})
	return t, rec, denied && err == nil && !t.AudioDeleted && t.Status == TranscriptEnded && t.Generation == gen, err
}
