package emulator

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Handler serves Whereby's REST API rooted at "/" (mount it where BaseURL points).
func (wb *Whereby) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(WherebyCreateMeeting, wb.createMeeting)
	mux.HandleFunc(WherebyListMeetings, wb.listMeetings)
	mux.HandleFunc(WherebyGetMeeting, wb.getMeeting)
	mux.HandleFunc(WherebyDeleteMeeting, wb.deleteMeeting)
	mux.HandleFunc(WherebyRoomSessions, wb.roomSessions)
	return wb.serve(mux, wb.auth, wherebyError, wb.rateLimited)
}

func (wb *Whereby) auth(r *http.Request) (int, string) {
	if wb.apiKey != "" && r.Header.Get("Authorization") != "Bearer "+wb.apiKey {
		return http.StatusUnauthorized, "Access token is missing or invalid"
	}
	return 0, ""
}

// wherebyError writes {"error": msg}; Whereby documents no other error body.
func wherebyError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (wb *Whereby) rateLimited(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", retryAfterSecs(wait))
	w.Header().Set("X-RateLimit-Reset", wb.Now().Add(wait).UTC().Format(http.TimeFormat))
	w.Header().Set("X-RateLimit-Remaining", "0")
	type msLeft struct {
		MsLeft int64 `json:"msLeft"`
	}
	writeJSON(w, http.StatusTooManyRequests, struct {
		Error string `json:"error"`
		Data  msLeft `json:"data"`
	}{"Rate limit active for throttle key: organization:1", msLeft{wait.Milliseconds()}})
}

type wbMeetingJSON struct {
	MeetingID   string `json:"meetingId"`
	RoomName    string `json:"roomName"`
	RoomURL     string `json:"roomUrl"`
	StartDate   string `json:"startDate"`
	EndDate     string `json:"endDate"`
	HostRoomURL string `json:"hostRoomUrl,omitempty"`
}

func (m *wbMeeting) json(withHost bool) wbMeetingJSON {
	j := wbMeetingJSON{MeetingID: m.ID, RoomName: m.RoomName, RoomURL: m.RoomURL,
		StartDate: isoMillis(m.Start), EndDate: isoMillis(m.End)}
	if withHost {
		j.HostRoomURL = m.HostRoomURL
	}
	return j
}

type wbCreateRequest struct {
	EndDate         string   `json:"endDate"`
	RoomNamePrefix  string   `json:"roomNamePrefix"`
	RoomNamePattern string   `json:"roomNamePattern"`
	RoomMode        string   `json:"roomMode"`
	Fields          []string `json:"fields"`
}

func (wb *Whereby) createMeeting(w http.ResponseWriter, r *http.Request) {
	var raw json.RawMessage
	var req wbCreateRequest
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil || json.Unmarshal(raw, &req) != nil {
		wherebyError(w, http.StatusBadRequest, "invalid JSON body")
		return
	}
	m, msg := wb.newMeeting(req)
	if msg != "" {
		wherebyError(w, http.StatusBadRequest, msg)
		return
	}
	wb.mu.Lock()
	wb.meetings = append(wb.meetings, m)
	wb.creates = append(wb.creates, raw)
	wb.mu.Unlock()
	writeJSON(w, http.StatusCreated, m.json(slices.Contains(req.Fields, "hostRoomUrl")))
}

// newMeeting validates a create request; msg is the 400 error text, if any.
func (wb *Whereby) newMeeting(req wbCreateRequest) (*wbMeeting, string) {
	now := wb.Now()
	end, err := time.Parse(time.RFC3339, req.EndDate)
	switch {
	case err != nil:
		return nil, "endDate is required and must be an ISO 8601 date"
	case end.Before(now.Add(-time.Minute)):
		return nil, "endDate must be in the future"
	case len(req.RoomNamePrefix) > 39:
		return nil, "roomNamePrefix must be at most 39 characters"
	case req.RoomMode != "" && req.RoomMode != "normal" && req.RoomMode != "group":
		return nil, "roomMode must be normal or group"
	}
	prefix := strings.ToLower(strings.Join(strings.Fields(req.RoomNamePrefix), ""))
	name := prefix + newUUID()
	if req.RoomNamePattern == "human-short" {
		name = prefix + strings.ToLower(randomID(8))
	}
	url := "https://" + wb.subdomain + ".whereby.com/" + name
	return &wbMeeting{ID: newUUID(), RoomName: "/" + name, RoomURL: url,
		HostRoomURL: url + "?roomKey=" + randomID(24), Start: now, End: end}, ""
}

func (wb *Whereby) listMeetings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err1 := strconv.Atoi(cmp.Or(q.Get("limit"), "50"))
	offset, err2 := strconv.Atoi(cmp.Or(q.Get("cursor"), "0"))
	if err1 != nil || err2 != nil || limit < 1 || limit > 100 || offset < 0 {
		wherebyError(w, http.StatusBadRequest, "invalid limit or cursor")
		return
	}
	withHost := strings.Contains(q.Get("fields"), "hostRoomUrl")
	wb.mu.Lock()
	results := []wbMeetingJSON{}
	for _, m := range wb.meetings[min(offset, len(wb.meetings)):] {
		if len(results) == limit {
			break
		}
		results = append(results, m.json(withHost))
	}
	var cursor *string
	if next := offset + len(results); next < len(wb.meetings) {
		c := strconv.Itoa(next)
		cursor = &c
	}
	wb.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "cursor": cursor})
}

func (wb *Whereby) meetingIndex(id string) int {
	return slices.IndexFunc(wb.meetings, func(m *wbMeeting) bool { return m.ID == id })
}

func (wb *Whereby) getMeeting(w http.ResponseWriter, r *http.Request) {
	wb.mu.Lock()
	i := wb.meetingIndex(r.PathValue("id"))
	var m wbMeeting
	if i >= 0 {
		m = *wb.meetings[i]
	}
	wb.mu.Unlock()
	if i < 0 {
		wherebyError(w, http.StatusNotFound, "The requested resource doesn't exist")
		return
	}
	writeJSON(w, http.StatusOK, m.json(strings.Contains(r.URL.Query().Get("fields"), "hostRoomUrl")))
}

// deleteMeeting is idempotent as documented: 204 whether or not the meeting exists.
func (wb *Whereby) deleteMeeting(w http.ResponseWriter, r *http.Request) {
	now := wb.Now()
	wb.mu.Lock()
	if i := wb.meetingIndex(r.PathValue("id")); i >= 0 {
		room := wb.meetings[i].RoomName
		wb.deleted = append(wb.deleted, room)
		wb.meetings = slices.Delete(wb.meetings, i, i+1)
		wb.participants = dropRoom(wb.participants, room)
		for _, s := range wb.sessions {
			if s.room == room && s.ended == nil {
				s.ended = &now
			}
		}
	}
	wb.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

type wbSessionJSON struct {
	RoomSessionID           string  `json:"roomSessionId"`
	RoomName                string  `json:"roomName"`
	StartedAt               string  `json:"startedAt"`
	EndedAt                 *string `json:"endedAt"`
	TotalParticipantMinutes int     `json:"totalParticipantMinutes"`
	TotalUniqueParticipants int     `json:"totalUniqueParticipants"`
}

// roomSessions serves the room's sessions as visible after the presence lag: a session
// appears lag after it started, and shows its end lag after it ended.
func (wb *Whereby) roomSessions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	room := q.Get("roomName")
	limit, err1 := strconv.Atoi(cmp.Or(q.Get("limit"), "10"))
	offset, err2 := strconv.Atoi(cmp.Or(q.Get("cursor"), "0"))
	if room == "" || err1 != nil || err2 != nil || limit < 1 || limit > 100 || offset < 0 {
		wherebyError(w, http.StatusBadRequest, "roomName is required; limit must be 1-100")
		return
	}
	visible := wb.visibleSessions(room)
	page := visible[min(offset, len(visible)):]
	page = page[:min(limit, len(page))]
	var cursor *string
	if next := offset + len(page); next < len(visible) {
		c := strconv.Itoa(next)
		cursor = &c
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": nonNil(page), "cursor": cursor})
}

func (wb *Whereby) visibleSessions(room string) []wbSessionJSON {
	now, lag := wb.Now(), wb.lag()
	wb.mu.Lock()
	defer wb.mu.Unlock()
	var out []wbSessionJSON
	for _, s := range wb.sessions {
		if s.room != room || s.started.Add(lag).After(now) {
			continue
		}
		j := wbSessionJSON{RoomSessionID: s.id, RoomName: s.room, StartedAt: isoMillis(s.started)}
		if s.ended != nil && !s.ended.Add(lag).After(now) {
			e := isoMillis(*s.ended)
			j.EndedAt = &e
		}
		out = append(out, j)
	}
	return out
}
