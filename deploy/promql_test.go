package deploy

import (
	"fmt"
	"strings"
	"testing"
	"text/template"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/metrics"
)

// targetLabels are added by the scrape, not by the process.
func targetLabels() map[string]bool {
	return map[string]bool{"job": true, "instance": true, "pod": true, "namespace": true, "container": true}
}

// promQL checks expressions against the families the processes export.
type promQL struct {
	families map[string][]string
	parser   parser.Parser
}

func newPromQL() promQL {
	return promQL{families: metrics.Families(), parser: parser.NewParser(parser.Options{})}
}

// family finds the family of a series name: histograms export name_bucket, _sum and _count.
// `up` is the scrape's own series.
func (p promQL) family(name string) ([]string, bool) {
	if name == "up" {
		return nil, true
	}
	if labels, ok := p.families[name]; ok {
		return labels, true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if labels, ok := p.families[base]; ok {
				return append(labels, "le"), true
			}
		}
	}
	return nil, false
}

// check parses expr and verifies that every series it selects exists and that every label
// it matches or groups by is one the series carry.
func (p promQL) check(expr string) error {
	e, err := p.parser.ParseExpr(expr)
	if err != nil {
		return fmt.Errorf("parse %q: %w", expr, err)
	}
	target := targetLabels()
	known := map[string]bool{"le": true}
	for l := range target {
		known[l] = true
	}
	var errs []string
	parser.Inspect(e, func(node parser.Node, _ []parser.Node) error {
		vs, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		labels, ok := p.family(vs.Name)
		if !ok {
			errs = append(errs, fmt.Sprintf("metric %s is not exported by pkg/metrics", vs.Name))
			return nil
		}
		own := map[string]bool{}
		for _, l := range labels {
			own[l], known[l] = true, true
		}
		for _, m := range vs.LabelMatchers {
			if m.Name != "__name__" && !own[m.Name] && !target[m.Name] {
				errs = append(errs, fmt.Sprintf("%s has no label %s", vs.Name, m.Name))
			}
		}
		return nil
	})
	parser.Inspect(e, func(node parser.Node, _ []parser.Node) error {
		if agg, ok := node.(*parser.AggregateExpr); ok {
			for _, l := range agg.Grouping {
				if !known[l] {
					errs = append(errs, fmt.Sprintf("grouping by %s, a label no selected series has", l))
				}
			}
		}
		return nil
	})
	if len(errs) > 0 {
		return fmt.Errorf("%q: %s", expr, strings.Join(errs, "; "))
	}
	return nil
}

// checkTemplate parses an alert annotation the way Prometheus expands it: with $labels and
// $value defined and its template functions.
func checkTemplate(text string) error {
	stub := func(v any) string { return fmt.Sprint(v) }
	funcs := template.FuncMap{"humanize": stub, "humanize1024": stub, "humanizeDuration": stub,
		"humanizePercentage": stub, "humanizeTimestamp": stub, "title": strings.ToTitle,
		"toUpper": strings.ToUpper, "toLower": strings.ToLower}
	_, err := template.New("").Funcs(funcs).Option("missingkey=zero").
		Parse("{{$labels := .Labels}}{{$value := .Value}}" + text)
	return err
}

// TestPromQLCheckCatches: the checker refuses what the manifests must not contain, so the
// manifest tests cannot pass vacuously.
func TestPromQLCheckCatches(t *testing.T) {
	t.Parallel()
	p := newPromQL()
	require.NoError(t, p.check(`max by (queue, state) (reflector_queue_depth{state="pending"}) > 1`))
	require.NoError(t, p.check(`histogram_quantile(0.9, sum by (le, route) (rate(reflector_http_request_duration_seconds_bucket[5m])))`))
	for expr, want := range map[string]string{
		`reflector_queue_depht > 1`:                        "not exported",
		`reflector_presence_reads_total{outcom="unknown"}`: "no label outcom",
		`max by (queue, stat) (reflector_queue_depth)`:     "grouping by stat",
		`rate(reflector_task_runs_total[5m]`:               "parse",
	} {
		err := p.check(expr)
		require.ErrorContains(t, err, want, expr)
	}
	require.Error(t, checkTemplate("{{ $value | humanizeDurration }}"))
}
