package httpapi_test

import (
	"strings"
)

type badCase = struct {
	name, method, path string
	body               any
	status             int
	headers            []string
}

// hardeningCases are the bad inputs of the attack run (issue 13): NUL bytes and invalid
// UTF-8 anywhere a string reaches Postgres, bodies not declared as JSON, non-UUID meeting
// ids and oversized headers.
func hardeningCases(rid, mid string) []badCase {
	meet := "/v1/rooms/base/meetings/" + mid
	textPlain := []string{"Content-Type", "text/plain"}
	cases := []badCase{
		{"nul: create zulip_stream", "POST", "/v1/rooms", `{"name":"nul1","zulip_stream":"a\u0000b"}`, 422, nil},
		{"nul: create name", "POST", "/v1/rooms", `{"name":"a\u0000b"}`, 422, nil},
		{"nul: create ics_url", "POST", "/v1/rooms", `{"name":"nul2","ics_url":"https://x.example/\u0000"}`, 422, nil},
		{"nul: patch zulip_stream", "PATCH", "/v1/rooms/" + rid, `{"zulip_stream":"a\u0000b"}`, 422, nil},
		{"nul: patch webhook_secret", "PATCH", "/v1/rooms/" + rid, `{"webhook_secret":"\u0000"}`, 422, nil},
		{"nul: meeting connection_id", "POST", "/v1/rooms/base/meeting", `{"connection_id":"a\u0000"}`, 422, nil},
		{"nul: join connection_id", "POST", meet + "/join", `{"connection_id":"a\u0000"}`, 422, nil},
		{"nul: joining connection_id", "POST", meet + "/joining", `{"connection_id":"a\u0000"}`, 422, nil},
		{"nul: joined connection_id", "POST", meet + "/joined", `{"connection_id":"a\u0000"}`, 422, nil},
		{"nul: joined session_id", "POST", meet + "/joined", `{"connection_id":"c","session_id":"s\u0000"}`, 422, nil},
		{"nul: joined user_name", "POST", meet + "/joined", `{"connection_id":"c","session_id":"s","user_name":"\u0000"}`, 422, nil},
		{"nul: leave connection_id", "POST", meet + "/leave", `{"connection_id":"a\u0000"}`, 422, textPlain},
		{"nul: leave session_id", "POST", meet + "/leave", `{"connection_id":"c","session_id":"\u0000"}`, 422, textPlain},
		{"bad utf8: leave query connection_id", "POST", meet + "/leave?connection_id=%ff", "", 422, textPlain},
		{"bad utf8: joining query", "POST", meet + "/joining?x=%c3%28", `{"connection_id":"c"}`, 422, nil},
		{"bad utf8: raw body bytes", "POST", "/v1/rooms", []byte("{\"name\":\"a\xffb\"}"), 422, nil},
		{"bad utf8: raw joined body", "POST", meet + "/joined", []byte("{\"connection_id\":\"c\",\"user_name\":\"\xc3\x28\"}"), 422, nil},
		{"bad utf8: list query", "GET", "/v1/rooms?page=%ff", nil, 422, nil},
		{"content type: create text/plain", "POST", "/v1/rooms", `{"name":"ct1"}`, 422, textPlain},
		{"content type: create form", "POST", "/v1/rooms", `name=ct2`, 422, []string{"Content-Type", "application/x-www-form-urlencoded"}},
		{"content type: create none", "POST", "/v1/rooms", `{"name":"ct3"}`, 422, []string{"Content-Type", ""}},
		{"content type: patch text/plain", "PATCH", "/v1/rooms/" + rid, `{"is_locked":true}`, 422, textPlain},
		{"content type: meeting text/plain", "POST", "/v1/rooms/base/meeting", `{"allow_duplicated":true}`, 422, textPlain},
		{"content type: join text/plain", "POST", meet + "/join", `{}`, 422, textPlain},
		{"content type: joining text/plain", "POST", meet + "/joining", `{"connection_id":"c"}`, 422, textPlain},
		{"content type: joined text/plain", "POST", meet + "/joined", `{"connection_id":"c"}`, 422, textPlain},
		{"content type: consent text/plain", "POST", "/v1/meetings/" + mid + "/consent", `{"consent_given":true}`, 422, textPlain},
		{"meeting id: not a uuid (joined)", "POST", "/v1/rooms/base/meetings/123/joined", `{"connection_id":"c"}`, 404, nil},
		{"meeting id: not a uuid (leave)", "POST", "/v1/rooms/base/meetings/123/leave", "", 404, textPlain},
		{"headers: too large", "GET", "/v1/rooms/name/base", nil, 431, []string{"X-Big", strings.Repeat("h", 40<<10)}},
	}
	for _, name := range []string{"%00", "%ff", "%c3%28", "a%00b"} {
		for _, r := range []struct{ method, path string }{
			{"GET", "/v1/rooms/name/" + name},
			{"POST", "/v1/rooms/" + name + "/meeting"},
			{"GET", "/v1/rooms/" + name + "/meetings/active"},
			{"GET", "/v1/rooms/" + name + "/meetings"},
			{"GET", "/v1/rooms/" + name + "/meetings/upcoming"},
			{"GET", "/v1/rooms/" + name + "/meetings/" + mid},
			{"POST", "/v1/rooms/" + name + "/meetings/" + mid + "/join"},
			{"POST", "/v1/rooms/" + name + "/meetings/" + mid + "/joining"},
			{"POST", "/v1/rooms/" + name + "/meetings/" + mid + "/joined"},
			{"POST", "/v1/rooms/" + name + "/meetings/" + mid + "/leave"},
			{"POST", "/v1/rooms/" + name + "/ics/sync"},
			{"GET", "/v1/rooms/" + name + "/ics/status"},
		} {
			body := `{"connection_id":"c"}`
			if r.method == "GET" {
				body = ""
			}
			cases = append(cases, badCase{"room name " + name + ": " + r.method + " " + r.path, r.method, r.path, body, 404, nil})
		}
	}
	return cases
}
