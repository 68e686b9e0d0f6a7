// Package deploy holds the deployment manifests (compose, Kubernetes, Prometheus rules,
// Grafana dashboard) and the test that validates them in `make test`. kubeconform needs
// schemas from the network and `kubectl apply --dry-run` a cluster, so this test parses every
// file and checks the fields and cross-references that matter, the PromQL of every alert,
// autoscaler and panel (with Prometheus' own parser), every metric and label against the
// registry of pkg/metrics, and every probe port against pkg/config's defaults.
package deploy

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// object is one Kubernetes document; spec is decoded per kind.
type object struct {
	file       string
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec yaml.Node `yaml:"spec"`
	// Kustomization keeps its fields at the top level.
	Resources []string `yaml:"resources"`
}

func (o object) String() string { return o.file + ": " + o.Kind + "/" + o.Metadata.Name }

// spec decodes the object's spec into v.
func (o object) spec(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, o.Spec.Decode(v), "%s: spec", o)
}

// deployFiles lists the files under deploy/ with one of the extensions.
func deployFiles(t *testing.T, exts ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, ext := range exts {
			if strings.HasSuffix(path, ext) {
				out = append(out, path)
			}
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// k8sObjects decodes every document of the YAML files under deploy/k8s.
func k8sObjects(t *testing.T) []object {
	t.Helper()
	var out []object
	for _, file := range deployFiles(t, ".yaml", ".yml") {
		if !strings.HasPrefix(file, "k8s"+string(filepath.Separator)) {
			continue
		}
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var o object
			err := dec.Decode(&o)
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, file)
			o.file = file
			require.NotEmpty(t, o.APIVersion, "%s: apiVersion", o)
			require.NotEmpty(t, o.Kind, "%s: kind", file)
			if o.Kind != "Kustomization" {
				require.NotEmpty(t, o.Metadata.Name, "%s: metadata.name", o)
			}
			out = append(out, o)
		}
	}
	require.NotEmpty(t, out)
	return out
}

// TestEveryFileParses: every YAML and JSON file under deploy/ is well-formed.
func TestEveryFileParses(t *testing.T) {
	t.Parallel()
	files := deployFiles(t, ".yaml", ".yml", ".json")
	require.GreaterOrEqual(t, len(files), 5)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		dec := yaml.NewDecoder(bytes.NewReader(raw)) // JSON is YAML
		for {
			var v any
			if err := dec.Decode(&v); errors.Is(err, io.EOF) {
				break
			} else {
				require.NoError(t, err, file)
			}
		}
	}
}

// TestKubernetesManifests runs the check of each object's kind; a kind without a check fails,
// so a new manifest comes with its validation.
func TestKubernetesManifests(t *testing.T) {
	t.Parallel()
	objs := k8sObjects(t)
	checks := map[string]func(*testing.T, object, []object){
		"Deployment": checkDeployment, "Job": checkJob, "Service": checkService,
		"PodMonitor": checkPodMonitor, "PrometheusRule": checkPrometheusRule,
		"ScaledObject": checkScaledObject, "HorizontalPodAutoscaler": checkHPA,
		"Kustomization": checkKustomization,
	}
	seen := map[string]bool{}
	for _, o := range objs {
		key := o.Kind + "/" + o.Metadata.Name
		require.False(t, seen[key], "%s: defined twice", o)
		seen[key] = true
		check, ok := checks[o.Kind]
		require.True(t, ok, "%s: no validation for kind %s: add one to deploy/", o, o.Kind)
		t.Run(key, func(t *testing.T) { check(t, o, objs) })
	}
	for _, kind := range []string{"Deployment", "PrometheusRule", "ScaledObject", "PodMonitor"} {
		require.True(t, hasKind(objs, kind), "deploy/k8s has no %s", kind)
	}
}

func hasKind(objs []object, kind string) bool {
	for _, o := range objs {
		if o.Kind == kind {
			return true
		}
	}
	return false
}

// checkKustomization: it lists exactly the other manifests of its folder.
func checkKustomization(t *testing.T, o object, _ []object) {
	dir := filepath.Dir(o.file)
	var want []string
	for _, f := range deployFiles(t, ".yaml", ".yml") {
		if filepath.Dir(f) == dir && f != o.file {
			want = append(want, filepath.Base(f))
		}
	}
	require.ElementsMatch(t, want, o.Resources, "%s: resources", o)
}
