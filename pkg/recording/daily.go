package recording

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// Daily recording types.
const (
	DailyCloud     = "cloud"
	DailyRawTracks = "raw-tracks"
)

// DailyTrack is one track file of a raw-tracks recording.
type DailyTrack struct {
	Type  string `json:"type"` // audio | video
	S3Key string `json:"s3Key"`
	Size  int64  `json:"size"`
}

// DailyReady is a recording.ready-to-download event (or a finished item of the recordings
// list), as the webhook inbox parses it.
type DailyReady struct {
	Type        string       `json:"type"` // cloud | raw-tracks
	RecordingID string       `json:"recording_id"`
	RoomName    string       `json:"room_name"`
	StartTS     int64        `json:"start_ts"`
	Duration    float64      `json:"duration"` // seconds
	S3Key       string       `json:"s3_key"`
	Tracks      []DailyTrack `json:"tracks"`
}

// HandleDailyReady records a finished Daily recording. With a Daily bucket of ours, a cloud
// recording sets the meeting's composed video (the first one wins, as in the original) and is
// kept as a completed recording, the raw tracks being what is transcribed; without one (Daily
// keeps the files, and raw tracks need a customer bucket) the cloud recording is the only
// audio there is, so it is downloaded from its access link and transcribed. A raw-tracks recording keeps its audio track keys, is checked for audio and
// handed to transcription. It is idempotent: a webhook retry or the poll crossing the
// webhook finds the recording by its Daily id.
func (s *Service) HandleDailyReady(ctx context.Context, ev DailyReady) error {
	var err error
	switch ev.Type {
	case DailyCloud:
		err = s.dailyCloud(ctx, ev)
	case DailyRawTracks:
		err = s.dailyRawTracks(ctx, ev)
	default:
		err = permanentf("unknown recording type %q", ev.Type)
	}
	if err != nil {
		return fmt.Errorf("recording.HandleDailyReady %s: %w", ev.RecordingID, err)
	}
	return nil
}

func (s *Service) dailyRecording(ev DailyReady, kind Kind) Recording {
	return Recording{
		ID: uuid.New(), Platform: PlatformDaily, ProviderRecordingID: ev.RecordingID, Kind: kind,
		Bucket: s.cfg.DailyBucket, ObjectKey: ev.S3Key, RecordedAt: time.Unix(ev.StartTS, 0).UTC(),
		Status: StatusPending, ProviderRoomName: ev.RoomName, Duration: ev.Duration, CreatedAt: s.now(),
	}
}

func (s *Service) dailyCloud(ctx context.Context, ev DailyReady) error {
	if s.cfg.DailyBucket == "" {
		return s.dailyCloudFromLink(ctx, ev)
	}
	rec := s.dailyRecording(ev, KindCloud)
	s.matchMeeting(ctx, &rec)
	if rec.MeetingID != nil {
		set, err := s.st.MeetingSetComposedVideo(ctx, *rec.MeetingID, ev.S3Key, int(ev.Duration))
		if err != nil {
			return err
		}
		if !set {
			s.log.Info("meeting already has a composed video; keeping the first", rec.LogFields()...)
		}
	}
	got, created, err := s.st.RecordingInsert(ctx, rec)
	if err != nil || got.Status != StatusPending {
		return err
	}
	if created {
		s.registered(got)
	}
	// A composed video needs no processing: it is stored and done.
	if err := s.move(ctx, s.st, &got, StatusStored, ""); err != nil {
		return err
	}
	return s.move(ctx, s.st, &got, StatusCompleted, "")
}

func (s *Service) dailyRawTracks(ctx context.Context, ev DailyReady) error {
	if s.cfg.DailyBucket == "" {
		return permanentf("no Daily bucket configured for raw tracks")
	}
	rec := s.dailyRecording(ev, KindRawTracks)
	rec.TrackKeys = audioTrackKeys(ev.Tracks)
	if rec.ObjectKey == "" {
		rec.ObjectKey = commonPrefix(rec.TrackKeys)
	}
	s.matchMeeting(ctx, &rec)
	got, created, err := s.st.RecordingInsert(ctx, rec)
	if err != nil {
		return err
	}
	if created {
		s.registered(got)
	}
	if got.Status == StatusPending && len(got.TrackKeys) == 0 {
		return s.fail(ctx, &got, errors.New("raw-tracks recording has no audio track"))
	}
	if err := s.storeProvided(ctx, &got); err != nil {
		return err
	}
	return s.handOff(ctx, got.ID)
}

// trackKeyRe reads "<recordingStartMs>-<participantSessionId(36)>-<mediaType>-<trackStartMs>".
var trackKeyRe = regexp.MustCompile(`(\d+)-(.{36})-([a-z]+-[a-z]+)-(\d+)(\.\w+)?$`)

// TrackKey is a parsed raw-tracks key.
type TrackKey struct {
	RecordingStartMs, TrackStartMs int64
	SessionID, MediaType           string
}

// ParseTrackKey parses a Daily raw-tracks object key.
func ParseTrackKey(key string) (TrackKey, bool) {
	m := trackKeyRe.FindStringSubmatch(key)
	if m == nil {
		return TrackKey{}, false
	}
	var tk TrackKey
	_, err1 := fmt.Sscan(m[1], &tk.RecordingStartMs)
	_, err2 := fmt.Sscan(m[4], &tk.TrackStartMs)
	tk.SessionID, tk.MediaType = m[2], m[3]
	return tk, err1 == nil && err2 == nil
}

// audioTrackKeys keeps the microphone tracks (cam-audio), as the original does; a key that
// does not follow Daily's naming is kept when its type is audio.
func audioTrackKeys(tracks []DailyTrack) Strings {
	var keys Strings
	for _, t := range tracks {
		if t.Type != "audio" {
			continue
		}
		if tk, ok := ParseTrackKey(t.S3Key); ok && tk.MediaType != "cam-audio" {
			continue
		}
		keys = append(keys, t.S3Key)
	}
	return keys
}

func commonPrefix(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	p := keys[0]
	for _, k := range keys[1:] {
		for !strings.HasPrefix(k, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// RecordingStarted notes that the provider started recording the meeting behind a provider
// room name (Daily's recording.started, Whereby's recorder joining), for the completeness
// ledger. An unknown room is logged, not an error.
func (s *Service) RecordingStarted(ctx context.Context, platform, roomName string, at time.Time) error {
	ms, err := s.st.MeetingsByProviderRoomName(ctx, platform, roomName)
	if err != nil {
		return fmt.Errorf("recording.RecordingStarted %s: %w", roomName, err)
	}
	m, ok := pickMeeting(ms, at)
	if !ok {
		s.log.Warn("recording started in an unknown room", zap.String("platform", platform), zap.String("room_name", roomName))
		return nil
	}
	if err := s.st.MeetingSetRecordingStarted(ctx, m.ID, at); err != nil {
		return fmt.Errorf("recording.RecordingStarted %s: %w", roomName, err)
	}
	s.log.Info("recording started", m.LogFields(zap.Time("at", at))...)
	return nil
}
