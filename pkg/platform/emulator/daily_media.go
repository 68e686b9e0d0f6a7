package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DailyRecordingMedia serves the file behind an access link the emulator signed: no API key,
// the link's expiry and signature are the credentials, as with a presigned S3 URL.
const DailyRecordingMedia = "GET /media/{file}"

// SyntheticWAV is d of a 440 Hz tone: 16 kHz mono 16-bit PCM WAV, something ffprobe finds an
// audio stream in and a speech-to-text endpoint accepts.
func SyntheticWAV(d time.Duration) []byte {
	const rate = 16000
	n := int(d.Seconds() * rate)
	var buf bytes.Buffer
	le := func(v any) { _ = binary.Write(&buf, binary.LittleEndian, v) }
	buf.WriteString("RIFF")
	le(uint32(36 + 2*n))
	buf.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1)) // PCM
	le(uint16(1)) // mono
	le(uint32(rate))
	le(uint32(2 * rate))
	le(uint16(2))
	le(uint16(16))
	buf.WriteString("data")
	le(uint32(2 * n))
	for i := range n {
		le(int16(8000 * math.Sin(2*math.Pi*440*float64(i)/rate)))
	}
	return buf.Bytes()
}

// mediaLink is the access link of a recording with synthetic media: this emulator's own URL
// (as the request reached it, mount prefix included), valid until exp.
func (d *Daily) mediaLink(r *http.Request, id string, exp int64) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	p, _, _ := strings.Cut(r.RequestURI, "?")
	prefix := strings.TrimSuffix(p, r.URL.Path)
	return scheme + "://" + r.Host + prefix + "/media/" + id + ".wav?expires=" + strconv.FormatInt(exp, 10) +
		"&signature=" + d.mediaSignature(id, exp)
}

func (d *Daily) mediaSignature(id string, exp int64) string {
	mac := hmac.New(sha256.New, d.key)
	mac.Write([]byte("media\n" + id + "\n" + strconv.FormatInt(exp, 10)))
	return hex.EncodeToString(mac.Sum(nil))
}

// recordingMedia serves a recording's synthetic file to a valid, unexpired signed link
// (403 otherwise, as S3 answers a bad presigned URL).
func (d *Daily) recordingMedia(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(r.PathValue("file"), ".wav")
	exp, err := strconv.ParseInt(r.URL.Query().Get("expires"), 10, 64)
	sig := r.URL.Query().Get("signature")
	if err != nil || d.Now().Unix() > exp || !hmac.Equal([]byte(sig), []byte(d.mediaSignature(id, exp))) {
		http.Error(w, "AccessDenied: Request has expired or the signature does not match", http.StatusForbidden)
		return
	}
	d.mu.Lock()
	body, ok := d.media[id]
	d.mu.Unlock()
	if !ok {
		http.Error(w, "NoSuchKey", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

func decodeKey(b64 string) ([]byte, error) { return base64.StdEncoding.DecodeString(b64) }
