package httpapi

import (
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/room"
)

// Every string that can reach Postgres is checked once, here at the edge: path and query
// parameters by edgeMiddleware, JSON bodies by bindJSON (badStrings), the token's subject by
// JWTAuth. Postgres refuses NUL in text and invalid UTF-8 with an error we would answer 500.

// cleanText reports whether s can be stored as Postgres text.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

const textMsg = "String should be valid UTF-8 without NUL characters"

// edgeMiddleware refuses malformed path and query parameters before any handler runs: a room
// name that cannot exist is simply not found (404, as the original), anything else is a 422
// naming the parameter. JSON routes (body schema set, except sendBeacon's /leave) also
// refuse a body that is not declared as JSON, as the original does.
func edgeMiddleware(jsonBody map[string]bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			for i, name := range c.ParamNames() {
				if v := c.ParamValues()[i]; !cleanText(v) {
					if name == "room_name" {
						return room.ErrNotFound
					}
					return invalidField([]any{"path", name}, textMsg, "string_type")
				}
			}
			for name, vs := range c.QueryParams() {
				for _, v := range vs {
					if !cleanText(name) || !cleanText(v) {
						return invalidField([]any{"query", strings.ToValidUTF8(name, "?")}, textMsg, "string_type")
					}
				}
			}
			if jsonBody[c.Request().Method+" "+c.Path()] && !jsonContent(c.Request()) {
				return invalidField([]any{"body"}, "Input should be a valid JSON document (Content-Type: application/json)", "model_attributes_type")
			}
			return next(c)
		}
	}
}

// jsonContent reports whether a request's body may be read as JSON: it is empty, or declared
// application/json (or a +json type).
func jsonContent(r *http.Request) bool {
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		return true
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// jsonRoutes are the routes whose body is a JSON schema, keyed "METHOD path"; the sendBeacon
// route (text/plain) is left out.
func jsonRoutes(routes []Route) map[string]bool {
	out := map[string]bool{}
	for _, r := range routes {
		if r.Body != "" && r.Body != "LeaveMeeting" {
			out[r.Method+" "+r.Path] = true
		}
	}
	return out
}

// badStrings walks a decoded body and returns a 422 naming every string field that cannot be
// stored, or nil.
func badStrings(v any) error {
	var fields []fieldError
	walkStrings(reflect.ValueOf(v), []any{"body"}, func(loc []any) {
		fields = append(fields, fieldError{Loc: loc, Msg: textMsg, Type: "string_type"})
	})
	if len(fields) == 0 {
		return nil
	}
	return &invalid{fields: fields}
}

func walkStrings(v reflect.Value, loc []any, bad func([]any)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), loc, bad)
		}
	case reflect.String:
		if !cleanText(v.String()) {
			bad(append([]any(nil), loc...))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch name {
			case "-":
				continue
			case "": // an untagged field (Opt's value) belongs to its parent's name
				walkStrings(v.Field(i), loc, bad)
			default:
				walkStrings(v.Field(i), append(loc, name), bad)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw JSON, not text
		}
		for i := range v.Len() {
			walkStrings(v.Index(i), append(loc, i), bad)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walkStrings(v.MapIndex(k), append(loc, k.String()), bad)
		}
	}
}
