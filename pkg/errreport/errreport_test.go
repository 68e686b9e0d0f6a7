package errreport_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/errreport"
	"github.com/monadical/reflector-go/pkg/errreport/errreporttest"
)

// Secrets the processes handle; none may reach an event.
var secrets = []string{ //nolint:gochecknoglobals // test table
	"private-9f8e7d6c",             // ICS feed token, in the path
	"AKIAEXAMPLE", "sig0123456789", // signed S3 URL query
	"dailytoken.abc", "whsec_123", "hunter2", "redispass",
}

func newReporter(t *testing.T) (*errreporttest.Transport, *zap.Logger) {
	t.Helper()
	tr := &errreporttest.Transport{}
	r, err := errreport.New(errreport.Options{DSN: errreporttest.DSN, Process: "worker", Transport: tr})
	require.NoError(t, err)
	t.Cleanup(r.Flush)
	return tr, r.Wrap(zap.NewNop())
}

// TestErrorsBecomeScrubbedEvents: an error log line is one event, with its error as the
// exception and its fields as context, and no calendar URL, signed URL, token or password in
// it, whether in the message, the error text or a field.
func TestErrorsBecomeScrubbedEvents(t *testing.T) {
	t.Parallel()
	tr, log := newReporter(t)
	log = log.With(zap.String("request_id", "req-1"))
	log.Info("not reported")
	log.Warn("not reported either")
	err := fmt.Errorf("calendar.Sync room 7: %w", errors.New(`Get "https://calendar.google.com/calendar/ical/a%40b.c/private-9f8e7d6c/basic.ics": 403`))
	log.Error("ics sync failed", zap.Error(err),
		zap.String("ics_url", "https://calendar.google.com/calendar/ical/x/private-9f8e7d6c/basic.ics"),
		zap.String("detail", "download https://bucket.s3.amazonaws.com/r.mp4?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=sig0123456789 failed"),
		zap.String("header", "Authorization: Bearer dailytoken.abc"),
		zap.String("note", "password=hunter2 secret: whsec_123"),
		zap.String("redis", "redis://:redispass@redis:6379/0"),
		zap.Int("status", 500))
	events := tr.Sent()
	require.Len(t, events, 1)
	ev := events[0]
	for _, s := range secrets {
		require.NotContains(t, ev, s)
	}
	require.Contains(t, ev, `"message":"ics sync failed"`)
	require.Contains(t, ev, "calendar.Sync room 7")
	require.Contains(t, ev, "https://calendar.google.com/[Filtered]")
	require.Contains(t, ev, `"request_id":"req-1"`)
	require.Contains(t, ev, `"status":500`)
	require.Contains(t, ev, `"process":"worker"`)
}

// TestNoDSNNoReporter: without SENTRY_DSN nothing is built and the logger is unchanged.
func TestNoDSNNoReporter(t *testing.T) {
	t.Parallel()
	r, err := errreport.New(errreport.Options{})
	require.NoError(t, err)
	require.Nil(t, r)
	log := zap.NewNop()
	require.Same(t, log, r.Wrap(log))
	r.Flush()
	_, err = errreport.New(errreport.Options{DSN: "not a dsn"})
	require.ErrorContains(t, err, "SENTRY_DSN")
}
