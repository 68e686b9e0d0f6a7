package errreport

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/getsentry/sentry-go"
)

// scrubber removes what must never leave the process.
type scrubber struct {
	url, kv, bearer, secretKey *regexp.Regexp
}

func newScrubber() scrubber {
	return scrubber{
		// Any URL keeps its scheme and host: ICS feeds hide their token in the path, signed
		// recording URLs and webhook targets in the query, connection strings in userinfo.
		url:    regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)(?:[^\s/?#"'<>@]*@)?([^\s/?#"'<>]*)[^\s"'<>]*`),
		kv:     regexp.MustCompile(`(?i)\b((?:access_?|api_?|refresh_?)?(?:token|secret|password|passwd|signature|api_?key|key|dsn)["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;"']+)`),
		bearer: regexp.MustCompile(`(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]+`),
		// Field names whose values are dropped whole (a word of a snake_case or camelCase name).
		secretKey: regexp.MustCompile(`(?i)(^|[_.-])(token|secret|password|passwd|signature|api_?key|key|authorization|cookie|dsn|credentials?|ics|url|uri|signed|x-amz-[a-z-]+)($|[_.-])|(Token|Secret|Password|Signature|Key|URL|Url)$`),
	}
}

// Text scrubs one string: URLs cut to scheme and host, key=value secrets and bearer tokens
// replaced.
func (s scrubber) Text(v string) string {
	v = s.url.ReplaceAllString(v, "$1$2/[Filtered]")
	v = s.kv.ReplaceAllString(v, "$1[Filtered]")
	return s.bearer.ReplaceAllString(v, "$1 [Filtered]")
}

func (s scrubber) value(key string, v any) any {
	if s.secretKey.MatchString(key) {
		return "[Filtered]"
	}
	switch x := v.(type) {
	case string:
		return s.Text(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, vv := range x {
			out[k] = s.value(k, vv)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, vv := range x {
			out[i] = s.value(key, vv)
		}
		return out
	case bool, int, int64, uint64, float64, nil:
		return x
	default:
		return s.Text(fmt.Sprint(x))
	}
}

// Scrub cleans an event in place (BeforeSend): message, exceptions, extra data, tags; and
// drops the request, user and breadcrumbs, which the core never sets but an SDK default might.
func Scrub(e *sentry.Event) *sentry.Event {
	s := newScrubber()
	e.Message = s.Text(e.Message)
	for i := range e.Exception {
		e.Exception[i].Value = s.Text(e.Exception[i].Value)
	}
	for name, ctx := range e.Contexts {
		for k, v := range ctx {
			ctx[k] = s.value(k, v)
		}
		e.Contexts[name] = ctx
	}
	for k, v := range e.Tags {
		if s.secretKey.MatchString(k) {
			e.Tags[k] = "[Filtered]"
		} else {
			e.Tags[k] = s.Text(v)
		}
	}
	e.Request, e.User, e.Breadcrumbs = nil, sentry.User{}, nil
	e.ServerName = strings.TrimSpace(e.ServerName)
	return e
}
