package emulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"time"
)

var dailyBadName = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// dailyDefaults are room properties Daily leaves out of "config" when they have these values.
func dailyDefaults() map[string]any {
	return map[string]any{"enable_chat": false, "enable_screenshare": true,
		"enable_knocking": false, "start_video_off": false, "start_audio_off": false, "eject_at_room_exp": false}
}

// Handler serves Daily's REST API rooted at "/" (mount it where BaseURL points).
func (d *Daily) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(DailyCreateRoom, d.createRoom)
	mux.HandleFunc(DailyListRooms, d.listRooms)
	mux.HandleFunc(DailyGetRoom, d.getRoom)
	mux.HandleFunc(DailyDeleteRoom, d.deleteRoom)
	mux.HandleFunc(DailyRoomPresence, d.roomPresence)
	mux.HandleFunc(DailyPresence, d.domainPresence)
	mux.HandleFunc(DailyMeetingTokens, d.meetingToken)
	mux.HandleFunc(DailyStartRecording, d.startRecording)
	mux.HandleFunc(DailyStopRecording, d.stopRecording)
	mux.HandleFunc(DailyListRecordings, d.listRecordings)
	mux.HandleFunc(DailyGetRecording, d.getRecording)
	mux.HandleFunc(DailyRecordingLink, d.recordingLink)
	mux.HandleFunc(DailyListWebhooks, d.listWebhooks)
	mux.HandleFunc(DailyGetWebhook, d.getWebhook)
	mux.HandleFunc(DailyUpdateWebhook, d.updateWebhook)
	mux.HandleFunc(DailyCreateWebhook, d.createWebhook)
	mux.HandleFunc(DailyDeleteWebhook, d.deleteWebhook)
	outer := http.NewServeMux()
	outer.HandleFunc(DailyRecordingMedia, d.recordingMedia) // signed links carry no API key
	outer.Handle("/", d.serve(mux, d.auth, dailyError, d.rateLimited))
	return outer
}

func (d *Daily) auth(r *http.Request) (int, string) {
	h := r.Header.Get("Authorization")
	switch {
	case d.apiKey == "":
		return 0, ""
	case h == "":
		return http.StatusBadRequest, "authorization-header-error"
	case h != "Bearer "+d.apiKey:
		return http.StatusUnauthorized, "authentication-error"
	}
	return 0, ""
}

// dailyError writes {"error": <type for status>, "info": msg}; the auth errors pass their
// type as msg.
func dailyError(w http.ResponseWriter, status int, msg string) {
	typ := map[int]string{400: "invalid-request-error", 401: "authentication-error", 403: "forbidden-error",
		404: "not-found", 429: "rate-limit-error"}[status]
	switch {
	case msg == "authorization-header-error" || msg == "authentication-error":
		writeJSON(w, status, map[string]string{"error": msg})
		return
	case typ == "":
		typ = "server-error"
	}
	writeJSON(w, status, map[string]string{"error": typ, "info": msg})
}

func (d *Daily) rateLimited(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", retryAfterSecs(wait))
	dailyError(w, http.StatusTooManyRequests, "rate limit exceeded")
}

type dailyRoomJSON struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	APICreated bool           `json:"api_created"`
	Privacy    string         `json:"privacy"`
	URL        string         `json:"url"`
	CreatedAt  string         `json:"created_at"`
	Config     map[string]any `json:"config"`
}

func (d *Daily) roomJSON(r *dailyRoom) dailyRoomJSON {
	return dailyRoomJSON{ID: r.ID, Name: r.Name, APICreated: true, Privacy: r.Privacy,
		URL: "https://" + d.domain + ".daily.co/" + r.Name, CreatedAt: isoMillis(r.CreatedAt), Config: r.Config}
}

func (d *Daily) createRoom(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name       string         `json:"name"`
		Privacy    string         `json:"privacy"`
		Properties map[string]any `json:"properties"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "json-parsing-error", "info": err.Error()})
		return
	}
	now := d.Now()
	room, msg := newDailyRoom(req.Name, req.Privacy, req.Properties, now)
	if msg != "" {
		dailyError(w, http.StatusBadRequest, msg)
		return
	}
	d.mu.Lock()
	if old, ok := d.rooms[room.Name]; ok && old.live(now) {
		d.mu.Unlock()
		dailyError(w, http.StatusBadRequest, fmt.Sprintf(dailyAlreadyExistsFmt, room.Name))
		return
	}
	d.rooms[room.Name] = room
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, d.roomJSON(room))
}

// newDailyRoom validates a create request as Daily does; msg is the error info, if any.
func newDailyRoom(name, privacy string, props map[string]any, now time.Time) (*dailyRoom, string) {
	if name == "" {
		name = randomID(20)
	}
	switch {
	case dailyBadName.MatchString(name):
		return nil, name + " contains invalid characters (room names can contain A-Z, a-z, 0-9, '-', and '_')"
	case len(name) > 128:
		return nil, "name is too long (max 128 characters)"
	case privacy == "":
		privacy = "public"
	case privacy != "public" && privacy != "private":
		return nil, "privacy must be public or private"
	}
	room := &dailyRoom{ID: newUUID(), Name: name, Privacy: privacy, CreatedAt: now, Config: map[string]any{}}
	defaults := dailyDefaults()
	for k, v := range props {
		if def, ok := defaults[k]; !ok || def != v {
			room.Config[k] = v
		}
	}
	if exp, ok := props["exp"].(float64); ok {
		if int64(exp) <= now.Unix() {
			return nil, fmt.Sprintf("exp was '%d', which is in the past rather than in the future", int64(exp))
		}
		room.Exp = int64(exp)
	}
	return room, ""
}

// liveRoom returns the named room if it exists and has not expired.
func (d *Daily) liveRoom(name string) (*dailyRoom, bool) {
	now := d.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	r, ok := d.rooms[name]
	return r, ok && r.live(now)
}

func (d *Daily) getRoom(w http.ResponseWriter, r *http.Request) {
	room, ok := d.liveRoom(r.PathValue("name"))
	if !ok {
		dailyError(w, http.StatusNotFound, "room "+r.PathValue("name")+" not found")
		return
	}
	writeJSON(w, http.StatusOK, d.roomJSON(room))
}

func (d *Daily) deleteRoom(w http.ResponseWriter, r *http.Request) {
	name, now := r.PathValue("name"), d.Now()
	d.mu.Lock()
	room, ok := d.rooms[name]
	delete(d.rooms, name)
	if ok && room.live(now) {
		d.deleted = append(d.deleted, name)
		d.participants = dropRoom(d.participants, name)
	}
	d.mu.Unlock()
	switch {
	case !ok:
		dailyError(w, http.StatusNotFound, "room "+name+" not found")
	case !room.live(now): // expired: the 404 body gains "deleted": true
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "not-found", "info": "room " + name + " not found", "deleted": true})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"deleted": true, "name": name})
	}
}

func dropRoom(ps []*participant, room string) []*participant {
	out := ps[:0]
	for _, p := range ps {
		if p.room != room {
			out = append(out, p)
		}
	}
	return out
}

func (d *Daily) roomPresence(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, ok := d.liveRoom(name); !ok {
		dailyError(w, http.StatusNotFound, "room "+name+" not found")
		return
	}
	data := d.presence(name)[name]
	if data == nil {
		data = []dailyPresence{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(data), "data": data})
}

func (d *Daily) domainPresence(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, d.presence(""))
}

// tokenClaims maps meeting-token properties to Daily's abbreviated JWT claims.
func tokenClaims() map[string]string {
	return map[string]string{"room_name": "r", "user_id": "ud", "user_name": "u", "is_owner": "o",
		"nbf": "nbf", "exp": "exp", "start_cloud_recording": "sr", "enable_recording": "er",
		"eject_at_token_exp": "ejt", "eject_after_elapsed": "eje", "enable_recording_ui": "erui",
		"permissions": "p", "start_video_off": "vo", "start_audio_off": "ao", "enable_screenshare": "ss",
		"knocking": "k", "lang": "uil"}
}

func (d *Daily) meetingToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "json-parsing-error", "info": err.Error()})
		return
	}
	now := d.Now()
	if exp, ok := req.Properties["exp"].(float64); ok && int64(exp) <= now.Unix() {
		dailyError(w, http.StatusBadRequest, fmt.Sprintf("exp was '%d', which is in the past rather than in the future", int64(exp)))
		return
	}
	if uid, _ := req.Properties["user_id"].(string); len(uid) > 36 {
		dailyError(w, http.StatusBadRequest, "user_id must be at most 36 characters")
		return
	}
	claims := map[string]any{"iat": now.Unix(), "d": d.domain}
	abbrev := tokenClaims()
	for k, v := range req.Properties {
		if c, ok := abbrev[k]; ok {
			claims[c] = v
		}
	}
	d.mu.Lock()
	d.tokens = append(d.tokens, req.Properties)
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"token": signJWT([]byte(d.apiKey), claims)})
}

// signJWT mints an HS256 JWT, as Daily signs tokens with the domain's API key.
func signJWT(key []byte, claims map[string]any) string {
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(claims)
	msg := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(payload)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	return msg + "." + enc.EncodeToString(mac.Sum(nil))
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
