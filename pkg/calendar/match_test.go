package calendar

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMatchesRoom(t *testing.T) {
	t.Parallel()
	url := RoomURL(testBaseURL+"/", "max")
	require.Equal(t, "https://reflector.example.com/max", url)
	for _, tc := range []struct {
		name, location, description string
		want                        bool
	}{
		{"location", "https://reflector.example.com/max", "", true},
		{"description, any case", "", "Join at HTTPS://Reflector.Example.com/MAX today", true},
		{"followed by punctuation", "", "link: https://reflector.example.com/max.", true},
		{"followed by a query", "https://reflector.example.com/max?x=1", "", true},
		{"longer room name", "https://reflector.example.com/maxwell", "", false},
		{"longer name first, exact later", "https://reflector.example.com/max-2 or https://reflector.example.com/max", "", true},
		{"other host", "https://evil.example.com/max", "", false},
		{"nothing", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, matchesRoom(Event{Location: tc.location, Description: tc.description}, url))
		})
	}
}
