package httpapi

// roomSchemaFields are the Room schema's fields (the original's names and types).
var roomSchemaFields = []string{ //nolint:gochecknoglobals // constant table
	"id:string", "name:string", "user_id:string", "created_at:string", "zulip_auto_post:boolean",
	"zulip_stream:string", "zulip_topic:string", "is_locked:boolean", "room_mode:enum=normal|group",
	"recording_type:enum=none|local|cloud", "recording_trigger:enum=none|prompt|automatic|automatic-2nd-participant",
	"is_shared:boolean", "ics_url:string?", "ics_fetch_interval:integer", "ics_enabled:boolean",
	"ics_last_sync:string?", "ics_last_etag:string?", "platform:enum=whereby|daily", "skip_consent:boolean",
	"grace_period_minutes:integer",
}

// schemas are the named schemas of the document.
func schemas() map[string]any {
	details := append(append([]string{}, roomSchemaFields...), "webhook_url:string?", "webhook_secret:string?")
	return map[string]any{
		"Room":              obj(roomSchemaFields...),
		"RoomDetails":       obj(details...),
		"Page_RoomDetails_": obj("items:[]#RoomDetails", "total:integer?", "page:integer?", "size:integer?", "pages:integer?"),
		"CreateRoom": obj("name:string", "zulip_auto_post:boolean?", "zulip_stream:string?", "zulip_topic:string?",
			"is_locked:boolean?", "room_mode:string?", "recording_type:string?", "recording_trigger:string?",
			"is_shared:boolean?", "webhook_url:string?", "webhook_secret:string?", "ics_url:string?",
			"ics_fetch_interval:integer?", "ics_enabled:boolean?", "platform:string?", "skip_consent:boolean?",
			"grace_period_minutes:integer?"),
		"UpdateRoom": obj("name:string?", "zulip_auto_post:boolean?", "zulip_stream:string?", "zulip_topic:string?",
			"is_locked:boolean?", "room_mode:string?", "recording_type:string?", "recording_trigger:string?",
			"is_shared:boolean?", "webhook_url:string?", "webhook_secret:string?", "ics_url:string?",
			"ics_fetch_interval:integer?", "ics_enabled:boolean?", "platform:string?", "skip_consent:boolean?",
			"grace_period_minutes:integer?"),
		"CreateRoomMeeting": obj("allow_duplicated:boolean?", "connection_id:string?"),
		"JoinMeeting":       obj("connection_id:string?"),
		"JoiningMeeting":    obj("connection_id:string"),
		"JoinedMeeting":     obj("connection_id:string", "session_id:string?", "user_name:string?"),
		"LeaveMeeting":      obj("connection_id:string?", "session_id:string?"),
		"Meeting": obj("id:string", "room_name:string", "room_url:string", "host_room_url:string",
			"start_date:string", "end_date:string", "user_id:string?", "room_id:string?", "is_locked:boolean",
			"room_mode:enum=normal|group", "recording_type:enum=none|local|cloud", "recording_trigger:string",
			"num_clients:integer", "is_active:boolean", "calendar_event_id:string?", "calendar_metadata:object?",
			"platform:enum=whereby|daily", "daily_composed_video_s3_key:string?",
			"daily_composed_video_duration:integer?", "connection_id:string?"),
		"MeetingList":           map[string]any{"type": "array", "items": ref("Meeting")},
		"MeetingConsentRequest": obj("consent_given:boolean"),
		"ConsentResult":         obj("status:string", "consent_id:string"),
		"Status":                obj("status:string"),
		"StartRecordingRequest": obj("type:enum=cloud|raw-tracks", "instanceId:string"),
		"StartRecordingResult":  obj("status:string", "result:object?", "instanceId:string?"),
		"DeactivateResult":      obj("status:string", "meeting_id:string"),
		"WebhookTestResult":     obj("success:boolean", "message:string", "error:string", "status_code:integer?", "response_preview:string?"),
		"UserInfo":              obj("sub:string", "email:string?"),
		"ErrorDetail":           obj("detail:string"),
		"HTTPValidationError":   obj("detail:[]#ValidationError"),
		"ValidationError":       obj("loc:[]string", "msg:string", "type:string"),
		"CalendarEventAttendee": obj("email:string?", "name:string?", "status:string?", "role:string?"),
		"CalendarEventList":     map[string]any{"type": "array", "items": ref("CalendarEventResponse")},
		"CalendarEventResponse": obj("id:string", "room_id:string", "ics_uid:string", "title:string?",
			"description:string?", "start_time:string", "end_time:string", "attendees:[]#CalendarEventAttendee?",
			"location:string?", "last_synced:string", "created_at:string", "updated_at:string"),
		"ICSStatus": obj("status:enum=enabled|disabled", "last_sync:string?", "next_sync:string?",
			"last_etag:string?", "events_count:integer"),
		"ICSSyncResult": obj("status:enum=success|unchanged|error|skipped", "hash:string?", "events_found:integer",
			"total_events:integer", "events_created:integer", "events_updated:integer", "events_deleted:integer",
			"error:string?", "reason:string?"),
	}
}
