package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Auth requirements of a route.
const (
	AuthOptional = iota // anonymous callers allowed (the original's current_user_optional)
	AuthRequired        // 401 "Not authenticated" for anonymous callers
	// AuthSignature: no user; the handler verifies a provider signature and the auth
	// middleware ignores any Authorization header (provider webhooks).
	AuthSignature
)

// Route is one served operation; the table drives both echo and /openapi.json.
type Route struct {
	Method      string
	Path        string // echo syntax, :param
	OperationID string // the original's operation id
	Summary     string
	Auth        int
	Body        string // schema name of the JSON body, "" for none
	Response    string // schema name of the 200 body
	Handler     echo.HandlerFunc
}

func (s *server) routes() []Route {
	return []Route{
		{http.MethodGet, "/v1/rooms", "v1_rooms_list", "List own and shared rooms", AuthRequired, "", "Page_RoomDetails_", s.listRooms},
		{http.MethodPost, "/v1/rooms", "v1_rooms_create", "Create a room", AuthRequired, "CreateRoom", "Room", s.createRoom},
		{http.MethodGet, "/v1/rooms/name/:room_name", "v1_rooms_get_by_name", "Get a room by name", AuthOptional, "", "RoomDetails", s.getRoomByName},
		{http.MethodGet, "/v1/rooms/:room_id", "v1_rooms_get", "Get a room", AuthOptional, "", "RoomDetails", s.getRoom},
		{http.MethodPatch, "/v1/rooms/:room_id", "v1_rooms_update", "Update a room", AuthRequired, "UpdateRoom", "RoomDetails", s.updateRoom},
		{http.MethodDelete, "/v1/rooms/:room_id", "v1_rooms_delete", "Delete a room", AuthRequired, "", "Status", s.deleteRoom},
		{http.MethodPost, "/v1/rooms/:room_name/meeting", "v1_rooms_create_meeting", "Get or create the room's meeting", AuthOptional, "CreateRoomMeeting", "Meeting", s.createMeeting},
		{http.MethodGet, "/v1/rooms/:room_name/meetings/active", "v1_rooms_list_active_meetings", "List the room's active meetings", AuthOptional, "", "MeetingList", s.activeMeetings},
		{http.MethodPost, "/v1/rooms/:room_name/ics/sync", "v1_rooms_sync_ics", "Sync the room's ICS feed now (owner only)", AuthOptional, "", "ICSSyncResult", s.syncICS},
		{http.MethodGet, "/v1/rooms/:room_name/ics/status", "v1_rooms_ics_status", "The room's ICS sync status (owner only)", AuthOptional, "", "ICSStatus", s.icsStatus},
		{http.MethodGet, "/v1/rooms/:room_name/meetings", "v1_rooms_list_meetings", "List the room's calendar events", AuthOptional, "", "CalendarEventList", s.calendarEvents},
		{http.MethodGet, "/v1/rooms/:room_name/meetings/upcoming", "v1_rooms_list_upcoming_meetings", "List the room's calendar events starting soon", AuthOptional, "", "CalendarEventList", s.upcomingEvents},
		{http.MethodGet, "/v1/rooms/:room_name/meetings/:meeting_id", "v1_rooms_get_meeting", "Get a meeting of the room", AuthOptional, "", "Meeting", s.getMeeting},
		{http.MethodPost, "/v1/rooms/:room_name/meetings/:meeting_id/join", "v1_rooms_join_meeting", "Join a meeting of the room", AuthOptional, "JoinMeeting", "Meeting", s.joinMeeting},
		{http.MethodPost, "/v1/rooms/:room_name/meetings/:meeting_id/joining", "v1_rooms_joining_meeting", "Refresh the caller's join intent during the handshake", AuthOptional, "JoiningMeeting", "Status", s.joining},
		{http.MethodPost, "/v1/rooms/:room_name/meetings/:meeting_id/joined", "v1_rooms_joined_meeting", "Mark the caller's connection as in the call", AuthOptional, "JoinedMeeting", "Status", s.joined},
		{http.MethodPost, "/v1/rooms/:room_name/meetings/:meeting_id/leave", "v1_rooms_leave_meeting", "Leave the meeting (sendBeacon)", AuthOptional, "LeaveMeeting", "Status", s.leave},
		{http.MethodGet, "/v1/meetings/:meeting_id/timeline", "v1_meeting_timeline", "The meeting's timeline (room owner only)", AuthRequired, "", "MeetingTimeline", s.meetingTimeline},
		{http.MethodPost, "/v1/meetings/:meeting_id/consent", "v1_meeting_audio_consent", "Record recording consent", AuthOptional, "MeetingConsentRequest", "ConsentResult", s.meetingConsent},
		{http.MethodPost, "/v1/meetings/:meeting_id/recordings/start", "v1_start_recording", "Start a cloud or raw-tracks recording", AuthOptional, "StartRecordingRequest", "StartRecordingResult", s.startRecording},
		{http.MethodPatch, "/v1/meetings/:meeting_id/deactivate", "v1_meeting_deactivate", "End the meeting now (room owner only)", AuthRequired, "", "DeactivateResult", s.deactivate},
		{http.MethodPost, "/v1/rooms/:room_id/webhook/test", "v1_rooms_test_webhook", "Send the test event to the room's webhook (owner only)", AuthRequired, "", "WebhookTestResult", s.testRoomWebhook},
		{http.MethodGet, "/v1/me", "v1_user_me", "The caller's identity (null when anonymous)", AuthOptional, "", "UserInfo", s.me},
		{http.MethodPost, "/v1/daily/webhook", "v1_webhook", "Receive a Daily webhook (signed)", AuthSignature, "", "Status", s.dailyWebhook},
		{http.MethodPost, "/v1/whereby", "v1_whereby_webhook", "Receive a Whereby webhook (signed)", AuthSignature, "", "Status", s.wherebyWebhook},
	}
}
