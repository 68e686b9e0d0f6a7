package recording

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWithoutQueryHidesTheAccessLinkSignature(t *testing.T) {
	t.Parallel()
	err := &url.Error{Op: "Get", URL: "https://u:p@bucket.example.com/rec.mp4?X-Amz-Signature=secret&token=t", Err: errors.New("connection refused")}
	got := withoutQuery(err).Error()
	require.NotContains(t, got, "secret")
	require.NotContains(t, got, "token=")
	require.NotContains(t, got, "u:p")
	require.Contains(t, got, "https://bucket.example.com/rec.mp4")
	require.Contains(t, got, "connection refused")
}
