package recording_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/logging"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// TestSignedURLsStayOutOfLogsAndErrors (issue 13, F3): a Daily recording.ready-to-download
// naming a track that is not in the bucket makes ffprobe fail on the presigned URL, and its
// error output carries that URL with X-Amz-Credential and X-Amz-Signature. Through the
// webhook inbox and the recording service, with the logger the binaries build: no log line,
// no recording.last_error and no webhook_event.last_error keeps the query string.
func TestSignedURLsStayOutOfLogsAndErrors(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.DebugLevel)
	log, err := logging.New(zapcore.DebugLevel, true, zap.WrapCore(func(zapcore.Core) zapcore.Core { return core }))
	require.NoError(t, err)
	b := setup(t, setupOpts{tweak: func(c *recording.Config) { c.Logger = log }})
	room := "redact-20260302"
	b.meeting(t, meetingOpts{platform: "daily", roomName: room})
	missing := trackKey(room, sessA, "cam-audio", 1772442000000) // never uploaded
	ev := emulator.DailyRecordingReadyRawTracks(room, "rec-redact", "dom/"+room+"/1772442000000", b.clock.Now(), time.Minute,
		[]emulator.DailyTrack{{Type: "audio", S3Key: missing, Size: 1}})
	body, err := json.Marshal(ev)
	require.NoError(t, err)

	wst := store.NewWebhookStore(b.db)
	inbox := webhook.NewService(webhook.Config{Store: wst, Recordings: b.svc, Log: log, Now: b.clock.Now,
		Platforms: platform.NewRegistry(daily.New(daily.Config{APIKey: "k"}))})
	id, _, err := wst.WebhookEventInsert(b.ctx, webhook.Event{Provider: "daily", EventID: "redact-1",
		Type: "recording.ready-to-download", Body: body})
	require.NoError(t, err)
	require.NoError(t, inbox.Process(b.ctx, id), "a missing object is permanent: noted, not retried")

	var recErr, hookErr string
	require.NoError(t, b.db.Get(&recErr, `SELECT last_error FROM recording WHERE provider_recording_id = 'rec-redact'`))
	require.NoError(t, b.db.Get(&hookErr, `SELECT last_error FROM webhook_event WHERE id = $1`, id))
	lines := logLines(logs)
	require.Contains(t, recErr, "ffprobe", "the failure is the probe's")
	require.Contains(t, lines, missing, "the logs name the object")
	for what, text := range map[string]string{"recording.last_error": recErr, "webhook_event.last_error": hookErr, "logs": lines} {
		for _, secret := range []string{"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", missing + "?"} {
			require.NotContains(t, text, secret, "%s keeps the presigned query", what)
		}
	}
}

// logLines renders every observed entry, message and fields, as one text.
func logLines(logs *observer.ObservedLogs) string {
	var b strings.Builder
	for _, e := range logs.All() {
		fmt.Fprintf(&b, "%s %v\n", e.Message, e.ContextMap())
	}
	return b.String()
}
