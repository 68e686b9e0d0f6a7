package redact_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/redact"
)

func TestText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`ffprobe: https://b.s3.amazonaws.com/k.mp4?X-Amz-Credential=AKIA%2F&X-Amz-Signature=abc: 403 Forbidden`: `ffprobe: https://b.s3.amazonaws.com/k.mp4 403 Forbidden`,
		`Get "https://user:pw@api.daily.co/v1/x?token=t#frag": EOF`:                                             `Get "https://api.daily.co/v1/x": EOF`,
		`two: http://a/x?s=1 and HTTPS://b/y?sig=2`:                                                             `two: http://a/x and HTTPS://b/y`,
		"nul\x00 and bad \xff utf8":                                                                             "nul and bad \uFFFD utf8",
		`no url here`:                                                                                           `no url here`,
	} {
		require.Equal(t, want, redact.Text(in))
	}
}
