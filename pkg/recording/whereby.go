package recording

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// wherebyStamp is the recording start in a Whereby file name.
var wherebyStamp = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z`)

// ParseWherebyFilename reads "<room name without leading slash>-<YYYY-MM-DDTHH:MM:SSZ>.<ext>"
// (the object key's last path element) into the Whereby room name ("/" + prefix) and the
// recording start, as the original's parse_whereby_recording_filename does.
func ParseWherebyFilename(key string) (roomName string, startedAt time.Time, err error) {
	name := path.Base(key)
	name = strings.TrimSuffix(name, path.Ext(name))
	loc := wherebyStamp.FindStringIndex(name)
	if loc == nil {
		return "", time.Time{}, fmt.Errorf("whereby file name %q: no start time", key)
	}
	prefix := name[:loc[0]]
	if !strings.HasSuffix(prefix, "-") || len(prefix) < 2 {
		return "", time.Time{}, fmt.Errorf("whereby file name %q: no room name before the start time", key)
	}
	startedAt, err = time.Parse("2006-01-02T15:04:05Z", name[loc[0]:loc[1]])
	if err != nil {
		return "", time.Time{}, fmt.Errorf("whereby file name %q: %w", key, err)
	}
	return "/" + strings.TrimSuffix(prefix, "-"), startedAt, nil
}

// ProcessS3Object handles one object Whereby wrote to our bucket (the task behind
// Enqueuer.EnqueueProcessS3): it records the recording, matches its meeting by provider room
// name, checks the file has audio and hands it to transcription. A file whose meeting cannot
// be found is kept as an orphan with the reason. It is idempotent.
func (s *Service) ProcessS3Object(ctx context.Context, bucket, key string) error {
	rec, err := s.wherebyRecording(ctx, bucket, key)
	if err != nil {
		return fmt.Errorf("recording.ProcessS3Object %s/%s: %w", bucket, key, err)
	}
	if err := s.storeProvided(ctx, &rec); err != nil {
		return fmt.Errorf("recording.ProcessS3Object %s/%s: %w", bucket, key, err)
	}
	return s.handOff(ctx, rec.ID)
}

// wherebyRecording inserts (or finds) the recording row of a Whereby object.
func (s *Service) wherebyRecording(ctx context.Context, bucket, key string) (Recording, error) {
	rec := Recording{
		ID: uuid.New(), Platform: PlatformWhereby, Kind: KindFile, Bucket: bucket, ObjectKey: key,
		Status: StatusPending, RecordedAt: s.now(), CreatedAt: s.now(),
	}
	room, startedAt, err := ParseWherebyFilename(key)
	if err != nil {
		rec.OrphanReason = err.Error()
	} else {
		rec.ProviderRoomName, rec.RecordedAt = room, startedAt
		s.matchMeeting(ctx, &rec)
	}
	got, created, err := s.st.RecordingInsert(ctx, rec)
	if err == nil && created {
		s.registered(got)
	}
	return got, err
}

// matchMeeting sets rec.MeetingID from the provider room name, or the orphan reason.
func (s *Service) matchMeeting(ctx context.Context, rec *Recording) {
	ms, err := s.st.MeetingsByProviderRoomName(ctx, rec.Platform, rec.ProviderRoomName)
	if err != nil {
		rec.OrphanReason = fmt.Sprintf("meeting lookup failed: %v", err)
		return
	}
	m, ok := pickMeeting(ms, rec.RecordedAt)
	if !ok {
		rec.OrphanReason = fmt.Sprintf("no %s meeting with room name %q", rec.Platform, rec.ProviderRoomName)
		return
	}
	rec.MeetingID, rec.RoomID, rec.OrphanReason = &m.ID, &m.RoomID, ""
}

// pickMeeting chooses among the meetings sharing a provider room name (newest first): the one
// whose session [start, end] contains the recording start, else the latest that started
// before it, else the newest. Room names are per meeting in practice; this only settles a
// reused name.
func pickMeeting(ms []Meeting, at time.Time) (Meeting, bool) {
	if len(ms) == 0 {
		return Meeting{}, false
	}
	for _, m := range ms {
		if !at.Before(m.StartDate) && !at.After(m.end()) {
			return m, true
		}
	}
	for _, m := range ms {
		if !m.StartDate.After(at) {
			return m, true
		}
	}
	return ms[0], true
}

// storeProvided moves a recording whose object the provider wrote into our bucket from
// pending to stored after the audio check; a file without audio fails permanently.
func (s *Service) storeProvided(ctx context.Context, rec *Recording) error {
	if rec.Status != StatusPending {
		return nil // already checked (or failed) by an earlier delivery
	}
	dur := 0.0
	for _, key := range rec.AudioKeys() {
		info, err := s.checkAudio(ctx, rec.Bucket, key)
		if errors.Is(err, ErrPermanent) {
			return s.fail(ctx, rec, err)
		}
		if err != nil {
			return err
		}
		dur = max(dur, info.Duration)
	}
	if rec.Duration > 0 {
		dur = 0 // the provider's duration wins over the probed one
	}
	ch := StatusChange{From: StatusPending, To: StatusStored, At: s.now(), Duration: dur}
	if err := s.st.RecordingSetStatus(ctx, rec.ID, ch); err != nil && !errors.Is(err, ErrStatusConflict) {
		return err
	}
	rec.Status = StatusStored
	s.log.Info("recording stored", rec.LogFields(zap.Float64("duration", max(dur, rec.Duration)))...)
	return nil
}
