package recording

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// MediaInfo is what the audio check learns about a file.
type MediaInfo struct {
	HasAudio bool
	Duration float64 // seconds; 0 when unknown
	Format   string  // ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
}

// Prober inspects a media file given by URL (FFprobe implements it).
type Prober interface {
	Probe(ctx context.Context, url string) (MediaInfo, error)
}

// ErrUnreadableMedia is returned (wrapped, and permanent) when the prober cannot parse a
// file: truncated, corrupt or not media at all.
var ErrUnreadableMedia = errors.New("recording: unreadable media")

// FFprobe runs the ffprobe binary. It reads only what it needs through HTTP range requests,
// so a presigned URL checks a large object without downloading it.
type FFprobe struct {
	Path string // "ffprobe" when empty (looked up in PATH)
}

// Probe implements Prober.
func (f FFprobe) Probe(ctx context.Context, url string) (MediaInfo, error) {
	bin := f.Path
	if bin == "" {
		bin = "ffprobe"
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-print_format", "json",
		"-show_streams", "-show_format", "--", url)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return MediaInfo{}, fmt.Errorf("ffprobe: %w", ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return MediaInfo{}, Permanent(fmt.Errorf("%w: ffprobe: %s", ErrUnreadableMedia, firstLine(stderr.String())))
		}
		return MediaInfo{}, fmt.Errorf("ffprobe: %w", err)
	}
	return parseProbe(stdout.Bytes())
}

// parseProbe reads ffprobe's JSON output.
func parseProbe(out []byte) (MediaInfo, error) {
	var doc struct {
		Streams []struct {
			CodecType string `json:"codec_type"`
		} `json:"streams"`
		Format struct {
			FormatName string `json:"format_name"`
			Duration   string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return MediaInfo{}, fmt.Errorf("ffprobe output: %w", err)
	}
	info := MediaInfo{Format: doc.Format.FormatName}
	info.Duration, _ = strconv.ParseFloat(doc.Format.Duration, 64)
	for _, st := range doc.Streams {
		info.HasAudio = info.HasAudio || st.CodecType == "audio"
	}
	return info, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "no output"
	}
	return s
}

// ErrNoAudio is returned (wrapped, and permanent) for a file without an audio stream.
var ErrNoAudio = errors.New("recording: no audio stream")

// checkAudio probes one object of our storage and requires an audio stream.
func (s *Service) checkAudio(ctx context.Context, bucket, key string) (MediaInfo, error) {
	url, err := s.cfg.Objects.PresignGet(ctx, bucket, key, probeURLTTL)
	if err != nil {
		return MediaInfo{}, err
	}
	info, err := s.cfg.Prober.Probe(ctx, url)
	if err != nil {
		return MediaInfo{}, fmt.Errorf("probe %s/%s: %w", bucket, key, err)
	}
	if !info.HasAudio {
		return info, Permanent(fmt.Errorf("%w in %s/%s (format %s)", ErrNoAudio, bucket, key, info.Format))
	}
	return info, nil
}
