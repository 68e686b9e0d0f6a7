package calendar

import "strings"

// RoomURL is the address of a room in the web app, which events name to be held there.
func RoomURL(baseURL, roomName string) string {
	return strings.TrimRight(baseURL, "/") + "/" + roomName
}

// matchesRoom reports whether the event's LOCATION or DESCRIPTION contains roomURL,
// ignoring case, as the original does. Unlike the original, the URL must end there: the
// room "max" does not match a link to ".../maxwell".
func matchesRoom(e Event, roomURL string) bool {
	needle := strings.ToLower(roomURL)
	return containsURL(strings.ToLower(e.Location), needle) ||
		containsURL(strings.ToLower(e.Description), needle)
}

// containsURL reports whether needle occurs in text not followed by a room-name character.
func containsURL(text, needle string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], needle)
		if j < 0 {
			return false
		}
		end := i + j + len(needle)
		if end == len(text) || !isNameChar(text[end]) {
			return true
		}
		i = i + j + 1
	}
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// roomEvents keeps the events held in the room.
func roomEvents(events []Event, roomURL string) []Event {
	var out []Event
	for _, e := range events {
		if matchesRoom(e, roomURL) {
			out = append(out, e)
		}
	}
	return out
}
