package recording

import (
	"context"
	"fmt"
	"time"
)

// dailyCloudFromLink ingests a cloud recording Daily keeps in its own storage: it asks Daily
// for the recording's access link and hands it to CreateFromURL (download, audio check,
// transcription). CreateFromURL is idempotent on the Daily recording id, so a webhook retry or
// the poll crossing the webhook adds nothing.
func (s *Service) dailyCloudFromLink(ctx context.Context, ev DailyReady) error {
	if s.cfg.DailyLinks == nil {
		return permanentf("no Daily client to fetch the access link of a cloud recording")
	}
	link, _, err := s.cfg.DailyLinks.RecordingAccessLink(ctx, ev.RecordingID)
	if err != nil {
		return fmt.Errorf("access link: %w", err)
	}
	_, err = s.CreateFromURL(ctx, URLRecording{Platform: PlatformDaily, ProviderRecordingID: ev.RecordingID,
		ProviderRoomName: ev.RoomName, SourceURL: link, RecordedAt: time.Unix(ev.StartTS, 0)})
	return err
}
