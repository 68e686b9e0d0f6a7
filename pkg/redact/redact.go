// Package redact makes error text safe to store and show: URLs lose their query strings and
// fragments (presigned S3 links carry X-Amz-Credential and X-Amz-Signature there, provider
// access links their tokens) and their user info, and the text becomes valid UTF-8 without
// NUL, so Postgres can store it.
package redact

import (
	"regexp"
	"strings"
)

// urlRe matches an http(s) URL up to its query or fragment, and the query/fragment itself.
var urlRe = regexp.MustCompile(`(?i)(https?://)([^\s/?#"'<>@]*@)?([^\s?#"'<>]*)([?#][^\s"'<>]*)?`)

// Text returns s with every URL's query string, fragment and user info removed, NUL
// characters dropped and invalid UTF-8 replaced.
func Text(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
	return urlRe.ReplaceAllString(s, "$1$3")
}

// Ptr applies Text to an optional text.
func Ptr(s *string) *string {
	if s == nil {
		return nil
	}
	r := Text(*s)
	return &r
}
