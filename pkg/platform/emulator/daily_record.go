package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Daily's recording start/stop endpoints.
const (
	DailyStartRecording = "POST /rooms/{name}/recordings/start"
	DailyStopRecording  = "POST /rooms/{name}/recordings/stop"
	// dailyDefaultInstance is the instanceId Daily uses when none is given (token-started
	// recordings included).
	dailyDefaultInstance = "c3df927c-f738-4471-a2b7-066fa7e95a6b"
)

// ActiveRecording is a recording the emulator is running.
type ActiveRecording struct {
	RoomName   string
	InstanceID string
	Type       string // cloud | raw-tracks | cloud-audio-only
	ID         string // the recording id (recording.started / GET /recordings)
	Start      time.Time
}

// ActiveRecordings lists the running recordings, oldest first.
func (d *Daily) ActiveRecordings() []ActiveRecording {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.active)
}

type recordingBody struct {
	Type       string `json:"type"`
	InstanceID string `json:"instanceId"`
}

func (d *Daily) readRecordingBody(w http.ResponseWriter, r *http.Request) (recordingBody, bool) {
	var b recordingBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil && !errors.Is(err, io.EOF) { // no body: defaults
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "json-parsing-error", "info": err.Error()})
		return b, false
	}
	if b.Type == "" {
		b.Type = "cloud"
	}
	if b.InstanceID == "" {
		b.InstanceID = dailyDefaultInstance
	}
	if !slices.Contains([]string{"cloud", "cloud-audio-only", "raw-tracks"}, b.Type) {
		dailyError(w, http.StatusBadRequest, "type must be cloud, cloud-audio-only or raw-tracks")
		return b, false
	}
	if _, ok := d.liveRoom(r.PathValue("name")); !ok {
		dailyError(w, http.StatusNotFound, "room "+r.PathValue("name")+" not found")
		return b, false
	}
	return b, true
}

// startRecording starts a recording of one instance; an instance already recording answers
// 400 "... has an active stream", as Daily does. The body is {"status":"sent"}.
func (d *Daily) startRecording(w http.ResponseWriter, r *http.Request) {
	b, ok := d.readRecordingBody(w, r)
	if !ok {
		return
	}
	if !d.start(r.PathValue("name"), b.InstanceID, b.Type) {
		dailyError(w, http.StatusBadRequest, "instance "+b.InstanceID+" has an active stream")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "sent"})
}

// start records instance of room unless it is already recording.
func (d *Daily) start(room, instance, typ string) bool {
	now := d.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if slices.ContainsFunc(d.active, func(a ActiveRecording) bool { return a.RoomName == room && a.InstanceID == instance }) {
		return false
	}
	d.active = append(d.active, ActiveRecording{RoomName: room, InstanceID: instance, Type: typ, ID: newUUID(), Start: now})
	return true
}

// JoinWithToken joins a participant the way daily-js does with a meeting token the emulator
// minted: the room, user id and name come from the token, and a token carrying
// start_cloud_recording (with enable_recording "cloud") starts a cloud recording of the room.
// It reports false for a token the emulator did not sign.
func (d *Daily) JoinWithToken(token, sessionID string) bool {
	claims, ok := d.verifyToken(token)
	if !ok {
		return false
	}
	room, _ := claims["r"].(string)
	user, _ := claims["ud"].(string)
	name, _ := claims["u"].(string)
	d.Join(room, sessionID, user, name)
	if sr, _ := claims["sr"].(bool); sr && claims["er"] == "cloud" {
		d.start(room, dailyDefaultInstance, "cloud")
	}
	return true
}

// verifyToken checks a token's HS256 signature with the API key and returns its claims.
func (d *Daily) verifyToken(token string) (map[string]any, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	var claims map[string]any
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		return nil, false
	}
	mac := hmac.New(sha256.New, []byte(d.apiKey))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	return claims, err == nil && hmac.Equal(sig, mac.Sum(nil))
}
