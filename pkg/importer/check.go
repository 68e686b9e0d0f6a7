package importer

import (
	"fmt"
	"slices"
	"strings"
)

// Allowed values of the original's enum-like string columns (its pydantic Literals).
var (
	roomModes         = []string{"normal", "group"}                                          //nolint:gochecknoglobals // constant
	recordingTypes    = []string{"none", "local", "cloud"}                                   //nolint:gochecknoglobals // constant
	recordingTriggers = []string{"none", "prompt", "automatic", "automatic-2nd-participant"} //nolint:gochecknoglobals // constant
	platforms         = []string{"whereby", "daily"}                                         //nolint:gochecknoglobals // constant
	recordingStatuses = []string{"pending", "processing", "completed", "failed"}             //nolint:gochecknoglobals // constant
)

// checker collects the first reason a row cannot be mapped.
type checker struct{ reason string }

func (c *checker) fail(format string, args ...any) {
	if c.reason == "" {
		c.reason = fmt.Sprintf(format, args...)
	}
}

func (c *checker) oneOf(col, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		c.fail("%s %q is not one of %s", col, v, strings.Join(allowed, ", "))
	}
}

func (c *checker) notEmpty(col string, v *string) {
	if v == nil || *v == "" {
		c.fail("%s is NULL or empty", col)
	}
}

func (c *checker) notNull(col string, isNull bool) {
	if isNull {
		c.fail("%s is NULL", col)
	}
}

// str returns a nullable string with NULL as "".
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
