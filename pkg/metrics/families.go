package metrics

import (
	"regexp"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
)

// Families maps every family a process can export (New, WatchQueues and WatchDatabase,
// with the Go and process collectors) to its variable label names. The deploy manifests
// are checked against it, so renaming a metric fails until the alerts and dashboard follow.
func Families() map[string][]string {
	m := New()
	m.WatchQueues(nil, nil, zap.NewNop()) // described, never collected
	m.WatchDatabase(nil, zap.NewNop())
	ch := make(chan *prometheus.Desc)
	go func() { m.Registry.Describe(ch); close(ch) }()
	// A Desc's String form is the only way client_golang exposes its name and labels.
	descFields := regexp.MustCompile(`fqName: "([^"]+)".*variableLabels: \{([^}]*)\}`)
	out := map[string][]string{}
	for d := range ch {
		f := descFields.FindStringSubmatch(d.String())
		if f == nil {
			continue
		}
		var labels []string
		if f[2] != "" {
			labels = strings.Split(f[2], ",")
		}
		out[f[1]] = labels
	}
	return out
}
