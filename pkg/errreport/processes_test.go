package errreport_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
	"github.com/monadical/reflector-go/pkg/setup"
)

// signedURL is what a recording download error may quote.
const signedURL = "https://bucket.s3.amazonaws.com/r.mp4?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=sig0123456789"

// eventsWith waits for the events whose JSON contains want.
func eventsWith(t *testing.T, sent func() []string, want string) string {
	t.Helper()
	var found string
	require.Eventually(t, func() bool {
		for _, ev := range sent() {
			if strings.Contains(ev, want) {
				found = ev
				return true
			}
		}
		return false
	}, 10*time.Second, 20*time.Millisecond, "no event with %q", want)
	for _, s := range secrets {
		require.NotContains(t, found, s)
	}
	return found
}

// TestAPIFailuresReported: a 5xx answer and a handler panic of the api each become an event,
// with the request id and without the secrets their errors quote.
func TestAPIFailuresReported(t *testing.T) {
	t.Parallel()
	tr, log := newReporter(t)
	e := httpapi.New(httpapi.Deps{Log: log, Auth: httpapi.LocalAuth{User: httpapi.User{ID: "u"}}})
	e.GET("/fail", func(echo.Context) error {
		return fmt.Errorf("download %s: %w", signedURL, errors.New("connection reset"))
	})
	e.GET("/boom", func(echo.Context) error { panic("calendar https://calendar.google.com/x/private-9f8e7d6c/basic.ics") })
	srv := httptest.NewServer(e)
	defer srv.Close()
	for _, path := range []string{"/fail", "/boom"} {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusInternalServerError, resp.StatusCode, path)
	}
	ev := eventsWith(t, tr.Sent, `"message":"request failed"`)
	require.Contains(t, ev, "https://bucket.s3.amazonaws.com/[Filtered]")
	require.Contains(t, ev, `"request_id":"`)
	eventsWith(t, tr.Sent, `"message":"panic in handler"`)
}

// TestTaskFailuresReported: a task that fails for good (here SkipRetry) and a task that
// panics each become an event naming the task type, without the signed URL of the error.
func TestTaskFailuresReported(t *testing.T) {
	t.Parallel()
	tr, log := newReporter(t)
	redis := apptest.RedisDB(t)
	q := asynq.NewClient(redis)
	defer q.Close()
	mux := asynq.NewServeMux()
	mux.HandleFunc("test:fail", func(context.Context, *asynq.Task) error {
		return fmt.Errorf("download %s: 403: %w", signedURL, asynq.SkipRetry)
	})
	mux.HandleFunc("test:panic", func(context.Context, *asynq.Task) error { panic("token=dailytoken.abc") })
	srv := setup.WorkerServer(redis, 2, 3*time.Second, log)
	require.NoError(t, srv.Start(mux))
	defer srv.Shutdown()
	for _, typ := range []string{"test:fail", "test:panic"} {
		_, err := q.Enqueue(asynq.NewTask(typ, nil), asynq.MaxRetry(0))
		require.NoError(t, err)
	}
	ev := eventsWith(t, tr.Sent, `"task":"test:fail"`)
	require.Contains(t, ev, `"message":"task failed"`)
	eventsWith(t, tr.Sent, `"task":"test:panic"`)
}
