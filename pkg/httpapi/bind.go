package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// maxBody bounds request bodies; larger bodies are refused before decoding.
const maxBody = 1 << 20

// bindJSON decodes the request body into v. An empty body decodes as {} so required fields
// are reported by validation, not as a parse error.
func bindJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxBody+1))
	if err != nil {
		return invalidField([]any{"body"}, "could not read body", "body_read")
	}
	if len(body) > maxBody {
		return &statusError{http.StatusRequestEntityTooLarge, "Request body too large"}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if !json.Valid(body) {
		return invalidField([]any{"body"}, "JSON decode error", "json_invalid")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return decodeError(err)
	}
	return nil
}

// pathUUID parses a UUID path parameter, 422 if malformed.
func pathUUID(c echo.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
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
