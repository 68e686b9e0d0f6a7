package deploy

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
)

// checkPodMonitor: it selects the Deployments and scrapes /metrics on ports they name.
func checkPodMonitor(t *testing.T, o object, objs []object) {
	var s struct {
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Endpoints []struct {
			Port string `yaml:"port"`
			Path string `yaml:"path"`
		} `yaml:"podMetricsEndpoints"`
	}
	o.spec(t, &s)
	pods := selected(t, objs, s.Selector.MatchLabels)
	require.Len(t, pods, 3, "%s: the api, worker and scheduler are scraped", o)
	ports := map[string]bool{}
	for _, p := range pods {
		for _, c := range p.Spec.Containers {
			for _, cp := range c.Ports {
				ports[cp.Name] = true
			}
		}
	}
	for _, e := range s.Endpoints {
		require.Equal(t, "/metrics", e.Path, "%s", o)
		require.True(t, ports[e.Port], "%s: no selected container has a port named %s", o, e.Port)
	}
}

// checkPrometheusRule: every rule's expression parses and names exported metrics and labels,
// `for` is a duration, alerts have a severity and annotations that parse as templates.
func checkPrometheusRule(t *testing.T, o object, _ []object) {
	var s struct {
		Groups []struct {
			Name  string `yaml:"name"`
			Rules []struct {
				Alert       string            `yaml:"alert"`
				Record      string            `yaml:"record"`
				Expr        string            `yaml:"expr"`
				For         string            `yaml:"for"`
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	o.spec(t, &s)
	p := newPromQL()
	require.NotEmpty(t, s.Groups, "%s: groups", o)
	alerts := map[string]bool{}
	for _, g := range s.Groups {
		require.NotEmpty(t, g.Name, "%s: group name", o)
		require.NotEmpty(t, g.Rules, "%s: group %s has no rules", o, g.Name)
		for _, r := range g.Rules {
			require.True(t, (r.Alert == "") != (r.Record == ""), "%s: a rule is an alert or a record", o)
			require.NoError(t, p.check(r.Expr), "%s: %s", o, r.Alert)
			if r.For != "" {
				_, err := model.ParseDuration(r.For)
				require.NoError(t, err, "%s: %s for", o, r.Alert)
			}
			if r.Alert == "" {
				continue
			}
			require.False(t, alerts[r.Alert], "%s: alert %s twice", o, r.Alert)
			alerts[r.Alert] = true
			require.Contains(t, []string{"critical", "warning", "info"}, r.Labels["severity"], "%s: %s severity", o, r.Alert)
			require.NotEmpty(t, r.Annotations["summary"], "%s: %s summary", o, r.Alert)
			for k, v := range r.Annotations {
				require.NoError(t, checkTemplate(v), "%s: %s annotation %s", o, r.Alert, k)
			}
		}
	}
	// The alerts issue 12 asks for.
	for _, a := range []string{"ReflectorRecordingMissing", "ReflectorDailyWebhookFailed", "ReflectorPresenceUnknown",
		"ReflectorQueueGrowing", "ReflectorWebhookInboxLagging"} {
		require.True(t, alerts[a], "%s: alert %s is missing", o, a)
	}
}

// checkScaledObject: KEDA scales an existing Deployment on a valid query of exported metrics.
func checkScaledObject(t *testing.T, o object, objs []object) {
	var s struct {
		ScaleTargetRef struct {
			Name string `yaml:"name"`
		} `yaml:"scaleTargetRef"`
		Min      int `yaml:"minReplicaCount"`
		Max      int `yaml:"maxReplicaCount"`
		Triggers []struct {
			Type     string            `yaml:"type"`
			Metadata map[string]string `yaml:"metadata"`
		} `yaml:"triggers"`
	}
	o.spec(t, &s)
	require.True(t, deploymentNamed(objs, s.ScaleTargetRef.Name), "%s: scales %q, not a Deployment here", o, s.ScaleTargetRef.Name)
	require.GreaterOrEqual(t, s.Min, 1, "%s: minReplicaCount", o)
	require.Greater(t, s.Max, s.Min, "%s: maxReplicaCount", o)
	require.NotEmpty(t, s.Triggers, "%s: triggers", o)
	p := newPromQL()
	for _, tr := range s.Triggers {
		require.Equal(t, "prometheus", tr.Type, "%s: trigger type", o)
		require.NotEmpty(t, tr.Metadata["serverAddress"], "%s: serverAddress", o)
		require.NoError(t, p.check(tr.Metadata["query"]), "%s", o)
		th, err := strconv.ParseFloat(tr.Metadata["threshold"], 64)
		require.NoError(t, err, "%s: threshold is a quoted number", o)
		require.Positive(t, th, "%s: threshold", o)
	}
	for _, other := range objs {
		if other.Kind == "HorizontalPodAutoscaler" {
			var h hpaSpec
			other.spec(t, &h)
			require.NotEqual(t, s.ScaleTargetRef.Name, h.ScaleTargetRef.Name, "%s and %s scale one Deployment", o, other)
		}
	}
}

type hpaSpec struct {
	ScaleTargetRef struct {
		Kind string `yaml:"kind"`
		Name string `yaml:"name"`
	} `yaml:"scaleTargetRef"`
	MinReplicas int `yaml:"minReplicas"`
	MaxReplicas int `yaml:"maxReplicas"`
}

// checkHPA: it scales an existing Deployment between sane bounds.
func checkHPA(t *testing.T, o object, objs []object) {
	var s hpaSpec
	o.spec(t, &s)
	require.Equal(t, "Deployment", s.ScaleTargetRef.Kind, "%s", o)
	require.True(t, deploymentNamed(objs, s.ScaleTargetRef.Name), "%s: scales %q, not a Deployment here", o, s.ScaleTargetRef.Name)
	require.NotEqual(t, "reflector-scheduler", s.ScaleTargetRef.Name, "%s: the scheduler stays at one replica", o)
	require.GreaterOrEqual(t, s.MinReplicas, 1, "%s", o)
	require.Greater(t, s.MaxReplicas, s.MinReplicas, "%s", o)
}

type panel struct {
	ID      int            `json:"id"`
	Type    string         `json:"type"`
	Title   string         `json:"title"`
	GridPos map[string]int `json:"gridPos"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // a collapsed row's
}

// TestGrafanaDashboards: each dashboard has a uid and title, panels with unique ids and a
// position, and every query parses and names exported metrics and labels.
func TestGrafanaDashboards(t *testing.T) {
	t.Parallel()
	files := deployFiles(t, ".json")
	require.NotEmpty(t, files)
	p := newPromQL()
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var d struct {
			UID    string  `json:"uid"`
			Title  string  `json:"title"`
			Panels []panel `json:"panels"`
		}
		require.NoError(t, json.Unmarshal(raw, &d), file)
		require.NotEmpty(t, d.UID, file)
		require.NotEmpty(t, d.Title, file)
		ids, queries := map[int]bool{}, 0
		var walk func([]panel)
		walk = func(ps []panel) {
			for _, pn := range ps {
				require.False(t, ids[pn.ID], "%s: panel id %d twice", file, pn.ID)
				ids[pn.ID] = true
				require.NotEmpty(t, pn.Title, "%s: panel %d title", file, pn.ID)
				require.Contains(t, pn.GridPos, "w", "%s: %s gridPos", file, pn.Title)
				require.True(t, pn.Type == "row" || len(pn.Targets) > 0, "%s: %s has no query", file, pn.Title)
				for _, tg := range pn.Targets {
					require.NoError(t, p.check(tg.Expr), "%s: panel %s", file, pn.Title)
					queries++
				}
				walk(pn.Panels)
			}
		}
		walk(d.Panels)
		require.Greater(t, queries, 10, file)
	}
}
