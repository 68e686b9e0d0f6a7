package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// maxBody bounds request bodies; larger bodies are refused before decoding.
const maxBody = 1 << 20

// bindJSON decodes the request body into v. An empty body decodes as {} so required fields
// are reported by validation, not as a parse error.
func bindJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxBody+1))
	if err != nil {
		return readError(err)
	}
	if len(body) > maxBody {
		return &statusError{http.StatusRequestEntityTooLarge, "Request body too large"}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if !json.Valid(body) || !utf8.Valid(body) {
		return invalidField([]any{"body"}, "JSON decode error", "json_invalid")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return decodeError(err)
	}
	return badStrings(v)
}

// readError answers a body that could not be read: 408 when the per-request read deadline
// cut it (a slow client), 422 otherwise.
func readError(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &statusError{http.StatusRequestTimeout, "Request body not received in time"}
	}
	return invalidField([]any{"body"}, "could not read body", "body_read")
}

// pathUUID parses a UUID path parameter, 422 if malformed. A meeting id that is not a UUID
// names no meeting: 404 "Meeting not found", as the original answers.
func pathUUID(c echo.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil && name == "meeting_id" {
		return uuid.Nil, meeting.ErrNotFound
	}
	if err != nil {
		return uuid.Nil, invalidField([]any{"path", name}, "Input should be a valid UUID", "uuid_parsing")
	}
	return id, nil
}

// queryInt parses an optional integer query parameter within [lo, hi].
func queryInt(c echo.Context, name string, def, lo, hi int) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, invalidField([]any{"query", name}, "Input should be a valid integer", "int_parsing")
	}
	if n < lo || n > hi {
		return 0, invalidField([]any{"query", name}, "Input should be between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi), "range")
	}
	return n, nil
}
