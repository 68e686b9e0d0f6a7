package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/room"
)

// secretValues are planted in a shared room and its meeting; only the owner may ever read them.
var secretValues = map[string]string{ //nolint:gochecknoglobals // test table
	"webhook_url":    "https://hooks.example/SECRET-HOOK-PATH",
	"webhook_secret": "SECRET-WEBHOOK-KEY",
	"ics_url":        "https://cal.example/private-SECRET-ICS-TOKEN/basic.ics",
	"host key":       "SECRET-HOST-KEY",
	"description":    "SECRET-EVENT-DESCRIPTION",
	"attendee":       "secret-attendee@example.com",
}

// stringFields lists every string value of a JSON document with its path.
func stringFields(path string, v any, out map[string]string) {
	switch x := v.(type) {
	case string:
		out[path] = x
	case map[string]any:
		for k, e := range x {
			stringFields(path+"."+k, e, out)
		}
	case []any:
		for i, e := range x {
			stringFields(fmt.Sprintf("%s[%d]", path, i), e, out)
		}
	}
}

// TestSecretsReachOwnersOnly calls every route that answers with room or meeting data as an
// anonymous caller, another user and the owner, lists every string field of every answer,
// and requires the planted secrets in the owner's answers and in no one else's.
func TestSecretsReachOwnersOnly(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	r := a.CreateRoom(t, "vault", func(in *room.Input) {
		in.IsShared = true
		in.WebhookURL, in.WebhookSecret = secretValues["webhook_url"], secretValues["webhook_secret"]
		in.ICSURL = ptr(secretValues["ics_url"])
	})
	m := a.Do(t, http.MethodPost, "/v1/rooms/vault/meeting", nil).JSON(t)
	mid := m["id"].(string)
	meta := fmt.Sprintf(`{"title":"Standup","description":%q,"attendees":[{"email":%q}]}`,
		secretValues["description"], secretValues["attendee"])
	_, err := a.DB.Exec(`UPDATE meeting SET host_room_url = room_url || '?roomKey=' || $2, calendar_metadata = $3 WHERE id = $1`,
		mid, secretValues["host key"], meta)
	require.NoError(t, err)

	routes := []struct{ method, path string }{
		{"GET", "/v1/rooms"},
		{"GET", "/v1/rooms/" + r.ID.String()},
		{"GET", "/v1/rooms/name/vault"},
		{"POST", "/v1/rooms/vault/meeting"},
		{"GET", "/v1/rooms/vault/meetings/active"},
		{"GET", "/v1/rooms/vault/meetings/" + mid},
		{"POST", "/v1/rooms/vault/meetings/" + mid + "/join"},
		{"GET", "/v1/rooms/vault/meetings"},
		{"GET", "/v1/rooms/vault/meetings/upcoming"},
		{"GET", "/v1/rooms/vault/ics/status"},
		{"PATCH", "/v1/rooms/" + r.ID.String()},
	}
	callers := map[string]*apptest.App{"anonymous": a.As(t, ""), "non-owner": a.As(t, "stranger"), "owner": a}
	for who, c := range callers {
		t.Run(who, func(t *testing.T) {
			seen := map[string]string{}
			for _, rt := range routes {
				var body any
				if rt.method != http.MethodGet {
					body = map[string]any{}
				}
				res := c.Do(t, rt.method, rt.path, body)
				require.Less(t, res.Status, 500, "%s %s: %s", rt.method, rt.path, res.Body)
				var doc any
				require.NoError(t, json.Unmarshal(res.Body, &doc), "%s %s", rt.method, rt.path)
				stringFields(rt.method+" "+rt.path, doc, seen)
			}
			paths := make([]string, 0, len(seen))
			for p := range seen {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for name, secret := range secretValues {
				var where []string
				for _, p := range paths {
					if strings.Contains(seen[p], secret) {
						where = append(where, p)
					}
				}
				if who == "owner" {
					require.NotEmpty(t, where, "the owner must be able to read the %s", name)
				} else {
					require.Empty(t, where, "%s reached a %s caller", name, who)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
