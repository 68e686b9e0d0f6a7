package httpapi

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
)

// openAPI renders the OpenAPI 3.1 document of the served routes, with the original's
// operation ids and schema names. It is built from the route table, so it cannot drift.
func openAPI(routes []Route) []byte {
	paths := map[string]map[string]any{}
	for _, r := range routes {
		p := oaPath(r.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.Method)] = operation(r)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "Reflector meetings API", "version": "1.0.0"},
		"paths":   paths,
		"components": map[string]any{
			"schemas": schemas(),
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
				// The original's name for X-API-Key (FastAPI's APIKeyHeader).
				"APIKeyHeader": map[string]any{"type": "apiKey", "in": "header", "name": HeaderAPIKey},
			},
		},
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return b
}

var pathParam = regexp.MustCompile(`:([a-z_]+)`)

func oaPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

func operation(r Route) map[string]any {
	op := map[string]any{
		"operationId": r.OperationID,
		"summary":     r.Summary,
		"responses": map[string]any{
			"200": content(r.Response),
			"422": content("HTTPValidationError"),
			"4XX": content("ErrorDetail"),
		},
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	if r.OperationID == "v1_rooms_list" {
		params = append(params,
			map[string]any{"name": "page", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "default": 1}},
			map[string]any{"name": "size", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": 100, "default": 50}})
	}
	if r.OperationID == "v1_rooms_list_upcoming_meetings" {
		params = append(params, map[string]any{"name": "minutes_ahead", "in": "query",
			"schema": map[string]any{"type": "integer", "minimum": 0, "maximum": maxMinutesAhead, "default": 120}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if r.Body != "" {
		op["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": ref(r.Body)}}}
	}
	if r.Auth == AuthRequired {
		op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"APIKeyHeader": []any{}}}
	}
	return op
}

func content(schema string) map[string]any {
	return map[string]any{"description": schema, "content": map[string]any{"application/json": map[string]any{"schema": ref(schema)}}}
}

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// obj builds an object schema from "name:type" pairs; a trailing "?" marks a nullable field,
// "enum:a|b" an enum, "#Name" a reference, "[]T" an array.
func obj(fields ...string) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range fields {
		name, typ, _ := strings.Cut(f, ":")
		nullable := strings.HasSuffix(typ, "?")
		typ = strings.TrimSuffix(typ, "?")
		props[name] = typeSchema(typ, nullable)
		if !nullable {
			required = append(required, name)
		}
	}
	sort.Strings(required)
	return map[string]any{"type": "object", "properties": props, "required": required}
}

func typeSchema(typ string, nullable bool) map[string]any {
	var s map[string]any
	switch {
	case strings.HasPrefix(typ, "[]"):
		s = map[string]any{"type": "array", "items": typeSchema(typ[2:], false)}
	case strings.HasPrefix(typ, "#"):
		s = ref(typ[1:])
	case strings.HasPrefix(typ, "enum="):
		s = map[string]any{"type": "string", "enum": strings.Split(typ[5:], "|")}
	default:
		s = map[string]any{"type": typ}
	}
	if nullable {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	return s
}
