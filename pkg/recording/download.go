package recording

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// URLRecording announces a recording to download from a provider access link.
type URLRecording struct {
	Platform            string
	ProviderRecordingID string
	ProviderRoomName    string
	SourceURL           string
	RecordedAt          time.Time
}

// CreateFromURL records a recording to download and queues its download. It is idempotent on
// the provider recording id. The object key is recordings/<platform>/<id><ext>, the extension
// taken from the link's path when it names a media type.
func (s *Service) CreateFromURL(ctx context.Context, in URLRecording) (Recording, error) {
	if s.cfg.Downloads == nil || s.cfg.Bucket == "" {
		return Recording{}, errors.New("recording.CreateFromURL: downloads are not configured")
	}
	id := uuid.New()
	rec := Recording{
		ID: id, Platform: in.Platform, ProviderRecordingID: in.ProviderRecordingID, Kind: KindFile,
		Bucket: s.cfg.Bucket, ObjectKey: "recordings/" + in.Platform + "/" + id.String() + mediaExt(in.SourceURL),
		SourceURL: in.SourceURL, RecordedAt: in.RecordedAt.UTC(), Status: StatusPending,
		ProviderRoomName: in.ProviderRoomName, CreatedAt: s.now(),
	}
	s.matchMeeting(ctx, &rec)
	got, created, err := s.st.RecordingInsert(ctx, rec)
	if err != nil {
		return Recording{}, fmt.Errorf("recording.CreateFromURL: %w", err)
	}
	if created {
		s.registered(got)
	}
	if got.Status == StatusPending {
		if err := s.cfg.Downloads.EnqueueDownload(ctx, got.ID); err != nil {
			return got, fmt.Errorf("recording.CreateFromURL: enqueue download: %w", err)
		}
	}
	return got, nil
}

func mediaExt(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	switch ext := strings.ToLower(path.Ext(u.Path)); ext {
	case ".mp4", ".mkv", ".webm", ".m4a", ".mp3", ".wav", ".ogg":
		return ext
	}
	return ""
}

// DownloadRecording streams a pending recording from its provider link into our bucket (the
// task behind DownloadEnqueuer), checks it has audio and hands it to transcription. Transient
// failures are retried within the run, each try starting over; a 404, a truncated or
// audio-less file, or running out of tries marks the recording failed and returns a
// permanent error. A failed upload leaves no object behind.
func (s *Service) DownloadRecording(ctx context.Context, id uuid.UUID) error {
	rec, proceed, err := s.startDownload(ctx, id)
	if err != nil || !proceed {
		return err
	}
	defer s.renewLease(ctx, s.st.RecordingTouch, id, rec.LogFields())()
	size, err := s.downloader(rec).Fetch(ctx, rec.SourceURL, rec.Bucket, rec.ObjectKey)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("recording.DownloadRecording %s: %w", id, err) // the task is retried
		}
		return fmt.Errorf("recording.DownloadRecording %s: %w", id, s.fail(ctx, &rec, err))
	}
	info, err := s.checkAudio(ctx, rec.Bucket, rec.ObjectKey)
	if err != nil {
		if errors.Is(err, ErrPermanent) {
			s.discard(ctx, rec)
			err = s.fail(ctx, &rec, err)
		}
		return fmt.Errorf("recording.DownloadRecording %s: %w", id, err)
	}
	ch := StatusChange{From: StatusDownloading, To: StatusStored, At: s.now(), SizeBytes: size, Duration: info.Duration}
	if err := s.st.RecordingSetStatus(ctx, id, ch); err != nil {
		return fmt.Errorf("recording.DownloadRecording %s: %w", id, err)
	}
	s.log.Info("recording stored", rec.LogFields(zap.Int64("size_bytes", size), zap.Float64("duration", info.Duration))...)
	return s.handOff(ctx, id)
}

// startDownload moves the recording to downloading; proceed is false when it is past that.
func (s *Service) startDownload(ctx context.Context, id uuid.UUID) (Recording, bool, error) {
	var rec Recording
	err := s.st.InTx(ctx, func(tx Store) error {
		var err error
		if rec, err = tx.RecordingLock(ctx, id); err != nil {
			return err
		}
		if rec.Status != StatusPending && rec.Status != StatusDownloading {
			return nil
		}
		return s.move(ctx, tx, &rec, StatusDownloading, "")
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return rec, false, Permanent(fmt.Errorf("recording.DownloadRecording %s: %w", id, err))
		}
		return rec, false, fmt.Errorf("recording.DownloadRecording %s: %w", id, err)
	}
	if rec.Status != StatusDownloading {
		s.log.Info("download skipped", rec.LogFields(zap.String("status", string(rec.Status)))...)
		return rec, false, nil
	}
	if rec.SourceURL == "" {
		return rec, false, s.fail(ctx, &rec, errors.New("recording has no source URL"))
	}
	return rec, true, nil
}

func (s *Service) downloader(rec Recording) Downloader {
	return Downloader{HTTP: s.cfg.HTTPClient, Objects: s.cfg.Objects, Attempts: s.cfg.DownloadAttempts,
		Backoff: s.cfg.RetryBackoff, Logger: s.log.With(rec.LogFields()...)}
}

// discard deletes a stored object that failed the audio check, so it is not mistaken for a
// good recording.
func (s *Service) discard(ctx context.Context, rec Recording) {
	if err := s.cfg.Objects.Delete(context.WithoutCancel(ctx), rec.Bucket, rec.ObjectKey); err != nil {
		s.log.Warn("delete rejected object", rec.LogFields(zap.Error(err))...)
	}
}
