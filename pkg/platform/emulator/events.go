package emulator

import (
	"fmt"
	"time"
)

// DailyEvent is Daily's webhook envelope, fields in the order Daily sends them.
type DailyEvent struct {
	Version string  `json:"version"`
	Type    string  `json:"type"`
	ID      string  `json:"id"`
	Payload any     `json:"payload"`
	EventTS float64 `json:"event_ts"`
}

// DailyParticipant is the payload of participant.joined and participant.left ("room",
// not "room_name"; Duration only on left).
type DailyParticipant struct {
	Room        string           `json:"room"`
	UserID      string           `json:"user_id"`
	UserName    string           `json:"user_name"`
	SessionID   string           `json:"session_id"`
	JoinedAt    float64          `json:"joined_at"`
	WillEjectAt *float64         `json:"will_eject_at"`
	Owner       bool             `json:"owner"`
	Permissions DailyPermissions `json:"permissions"`
	Duration    *float64         `json:"duration,omitempty"`
}

// DailyPermissions is a participant's permissions object.
type DailyPermissions struct {
	HasPresence bool            `json:"hasPresence"`
	CanSend     bool            `json:"canSend"`
	CanReceive  map[string]bool `json:"canReceive"`
	CanAdmin    bool            `json:"canAdmin"`
}

// DailyRecordingReady is the payload of recording.ready-to-download (s3_key, snake case;
// s3Key inside tracks).
type DailyRecordingReady struct {
	Type            string       `json:"type"`
	RecordingID     string       `json:"recording_id"`
	RoomName        string       `json:"room_name"`
	StartTS         int64        `json:"start_ts"`
	Status          string       `json:"status"`
	MaxParticipants int          `json:"max_participants"`
	Duration        int          `json:"duration"`
	ShareToken      string       `json:"share_token,omitempty"`
	S3Key           string       `json:"s3_key"`
	Tracks          []DailyTrack `json:"tracks,omitempty"`
}

func unixFloat(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// DailyParticipantJoined builds a participant.joined event at time at.
func DailyParticipantJoined(room, sessionID, userID, userName string, at time.Time) DailyEvent {
	return DailyEvent{Version: "1.0.0", Type: "participant.joined",
		ID: fmt.Sprintf("ptcpt-join-%s-%d", userID, at.UnixMilli()), EventTS: unixFloat(at),
		Payload: DailyParticipant{Room: room, UserID: userID, UserName: userName, SessionID: sessionID,
			JoinedAt: unixFloat(at), Permissions: defaultPermissions()}}
}

// DailyParticipantLeft builds a participant.left event for a participant who joined at
// joinedAt and left at leftAt.
func DailyParticipantLeft(room, sessionID, userID, userName string, joinedAt, leftAt time.Time) DailyEvent {
	dur := leftAt.Sub(joinedAt).Seconds()
	return DailyEvent{Version: "1.0.0", Type: "participant.left",
		ID: fmt.Sprintf("ptcpt-left-%s-%d", userID, leftAt.UnixMilli()), EventTS: unixFloat(leftAt),
		Payload: DailyParticipant{Room: room, UserID: userID, UserName: userName, SessionID: sessionID,
			JoinedAt: unixFloat(joinedAt), Permissions: defaultPermissions(), Duration: &dur}}
}

func defaultPermissions() DailyPermissions {
	return DailyPermissions{HasPresence: true, CanSend: true, CanReceive: map[string]bool{"base": true}}
}

// DailyRecordingReadyCloud builds a recording.ready-to-download event for a cloud recording.
func DailyRecordingReadyCloud(roomName, recordingID, s3Key string, start time.Time, dur time.Duration) DailyEvent {
	return dailyReady(DailyRecordingReady{Type: "cloud", RecordingID: recordingID, RoomName: roomName,
		StartTS: start.Unix(), Status: "finished", MaxParticipants: 1, Duration: int(dur.Seconds()), S3Key: s3Key}, start.Add(dur))
}

// DailyRecordingReadyRawTracks builds a recording.ready-to-download event for a raw-tracks
// recording; s3Key is the recording's key prefix.
func DailyRecordingReadyRawTracks(roomName, recordingID, s3Key string, start time.Time, dur time.Duration, tracks []DailyTrack) DailyEvent {
	return dailyReady(DailyRecordingReady{Type: "raw-tracks", RecordingID: recordingID, RoomName: roomName,
		StartTS: start.Unix(), Status: "finished", MaxParticipants: len(tracks), Duration: int(dur.Seconds()),
		S3Key: s3Key, Tracks: tracks}, start.Add(dur))
}

func dailyReady(p DailyRecordingReady, at time.Time) DailyEvent {
	return DailyEvent{Version: "1.0.0", Type: "recording.ready-to-download",
		ID: fmt.Sprintf("rec-rtd-%s-%d", p.RecordingID, at.Unix()), Payload: p, EventTS: float64(at.Unix())}
}

// DailyRecordingErrorPayload is the payload of recording.error (timestamp: unix seconds).
type DailyRecordingErrorPayload struct {
	Action     string `json:"action"`
	ErrorMsg   string `json:"error_msg"`
	InstanceID string `json:"instance_id"`
	RoomName   string `json:"room_name"`
	Timestamp  int64  `json:"timestamp"`
}

// DailyRecordingError builds a recording.error event of a room's default instance at time at.
func DailyRecordingError(roomName, msg string, at time.Time) DailyEvent {
	return DailyEvent{Version: "1.0.0", Type: "recording.error", ID: fmt.Sprintf("rec-err-%s-%d", roomName, at.Unix()),
		EventTS: float64(at.Unix()), Payload: DailyRecordingErrorPayload{Action: "cloud-recording-error", ErrorMsg: msg,
			InstanceID: dailyDefaultInstance, RoomName: roomName, Timestamp: at.Unix()}}
}

// WherebyEvent is Whereby's webhook envelope, fields in the order Whereby sends them.
type WherebyEvent struct {
	ID         string `json:"id"`
	APIVersion string `json:"apiVersion"`
	CreatedAt  string `json:"createdAt"`
	Type       string `json:"type"`
	Data       any    `json:"data"`
}

// WherebyClient is the data of room.client.joined and room.client.left.
type WherebyClient struct {
	RoleName             string         `json:"roleName"`
	DisplayName          string         `json:"displayName"`
	MeetingID            string         `json:"meetingId"`
	RoomName             string         `json:"roomName"`
	Subdomain            string         `json:"subdomain"`
	RoomSessionID        string         `json:"roomSessionId,omitempty"`
	ParticipantID        string         `json:"participantId"`
	NumClients           int            `json:"numClients"`
	NumClientsByRoleName map[string]int `json:"numClientsByRoleName"`
	IsDialIn             bool           `json:"isDialIn"`
}

// WherebyClientJoined builds a room.client.joined event; numClients is the count after it.
func WherebyClientJoined(meetingID, roomName, participantID, displayName string, numClients int, at time.Time) WherebyEvent {
	return wherebyClient("room.client.joined", meetingID, roomName, participantID, displayName, numClients, at)
}

// WherebyClientLeft builds a room.client.left event; numClients is the count after it.
func WherebyClientLeft(meetingID, roomName, participantID, displayName string, numClients int, at time.Time) WherebyEvent {
	return wherebyClient("room.client.left", meetingID, roomName, participantID, displayName, numClients, at)
}

func wherebyClient(typ, meetingID, roomName, participantID, displayName string, n int, at time.Time) WherebyEvent {
	return WherebyEvent{ID: randomHex(32), APIVersion: "1.0", CreatedAt: isoMillis(at), Type: typ,
		Data: WherebyClient{RoleName: "visitor", DisplayName: displayName, MeetingID: meetingID,
			RoomName: slashed(roomName), Subdomain: "emulator", ParticipantID: participantID, NumClients: n,
			NumClientsByRoleName: map[string]int{"visitor": n}}}
}
