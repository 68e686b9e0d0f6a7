package deploy

import (
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/config"
)

type podTemplate struct {
	Metadata struct {
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		RestartPolicy string      `yaml:"restartPolicy"`
		Containers    []container `yaml:"containers"`
	} `yaml:"spec"`
}

type container struct {
	Name    string   `yaml:"name"`
	Image   string   `yaml:"image"`
	Command []string `yaml:"command"`
	Env     []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
}

type probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"` // a number or a port name
	} `yaml:"httpGet"`
}

type deploymentSpec struct {
	Replicas *int `yaml:"replicas"`
	Selector struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	} `yaml:"selector"`
	Template podTemplate `yaml:"template"`
}

// resolvePort turns a probe's or Service's port (number or name) into a container port.
func (c container) resolvePort(port any) (int, bool) {
	switch p := port.(type) {
	case int:
		return p, true
	case string:
		for _, cp := range c.Ports {
			if cp.Name == p {
				return cp.ContainerPort, true
			}
		}
	}
	return 0, false
}

// healthPort is the port a process serves /healthz and /readyz on, by pkg/config's defaults
// and the env of the manifest: HTTP_ADDR for the api, OPS_ADDR for the worker and scheduler.
// ok is false for a command that is not one of the three processes.
func healthPort(t *testing.T, command string, env map[string]string) (int, bool) {
	t.Helper()
	cfg, err := config.LoadFor(func(k string) string { return env[k] }, config.NeedNothing)
	require.NoError(t, err)
	var addr string
	switch command {
	case "api":
		addr = cfg.HTTPAddr
	case "worker", "scheduler":
		addr = cfg.OpsAddr
	default:
		return 0, false
	}
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	n, err := strconv.Atoi(port)
	require.NoError(t, err)
	return n, true
}

// checkDeployment: the selector selects the template; every container has a name and an
// image; each of the three processes has a liveness probe on /healthz and a readiness probe
// on /readyz, on the port its configuration listens on.
func checkDeployment(t *testing.T, o object, _ []object) {
	var s deploymentSpec
	o.spec(t, &s)
	require.NotEmpty(t, s.Selector.MatchLabels, "%s: selector", o)
	for k, v := range s.Selector.MatchLabels {
		require.Equal(t, v, s.Template.Metadata.Labels[k], "%s: the selector does not select the template", o)
	}
	checkContainers(t, o, s.Template)
	for _, c := range s.Template.Spec.Containers {
		env := map[string]string{}
		for _, e := range c.Env {
			env[e.Name] = e.Value
		}
		want, ok := healthPort(t, c.Command[0], env)
		if !ok {
			continue
		}
		checkProbe(t, o, c, "livenessProbe", c.LivenessProbe, "/healthz", want)
		checkProbe(t, o, c, "readinessProbe", c.ReadinessProbe, "/readyz", want)
	}
}

func checkProbe(t *testing.T, o object, c container, name string, p *probe, path string, port int) {
	t.Helper()
	require.NotNil(t, p, "%s: container %s has no %s", o, c.Name, name)
	require.NotNil(t, p.HTTPGet, "%s: %s %s is not an httpGet probe", o, c.Name, name)
	require.Equal(t, path, p.HTTPGet.Path, "%s: %s %s path", o, c.Name, name)
	got, ok := c.resolvePort(p.HTTPGet.Port)
	require.True(t, ok, "%s: %s %s port %v is not a container port", o, c.Name, name, p.HTTPGet.Port)
	require.Equal(t, port, got, "%s: %s %s port is not where %s listens", o, c.Name, name, c.Command[0])
}

func checkContainers(t *testing.T, o object, tpl podTemplate) {
	t.Helper()
	require.NotEmpty(t, tpl.Spec.Containers, "%s: containers", o)
	for _, c := range tpl.Spec.Containers {
		require.NotEmpty(t, c.Name, "%s: container name", o)
		require.NotEmpty(t, c.Image, "%s: container %s image", o, c.Name)
		require.NotEmpty(t, c.Command, "%s: container %s command (api, worker, scheduler or reflectorctl)", o, c.Name)
		require.Contains(t, []string{"api", "worker", "scheduler", "reflectorctl"}, c.Command[0], "%s: %s", o, c.Name)
	}
}

// checkJob: a pod template that does not restart forever.
func checkJob(t *testing.T, o object, _ []object) {
	var s struct {
		Template podTemplate `yaml:"template"`
	}
	o.spec(t, &s)
	require.Contains(t, []string{"OnFailure", "Never"}, s.Template.Spec.RestartPolicy, "%s: restartPolicy", o)
	checkContainers(t, o, s.Template)
}

// selected lists the pod templates of the Deployments whose labels include sel.
func selected(t *testing.T, objs []object, sel map[string]string) []podTemplate {
	t.Helper()
	var out []podTemplate
	for _, o := range objs {
		if o.Kind != "Deployment" {
			continue
		}
		var s deploymentSpec
		o.spec(t, &s)
		if matches(s.Template.Metadata.Labels, sel) {
			out = append(out, s.Template)
		}
	}
	return out
}

func matches(labels, sel map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return len(sel) > 0
}

// checkService: it selects a Deployment whose container has the target port.
func checkService(t *testing.T, o object, objs []object) {
	var s struct {
		Selector map[string]string `yaml:"selector"`
		Ports    []struct {
			Port       int `yaml:"port"`
			TargetPort any `yaml:"targetPort"`
		} `yaml:"ports"`
	}
	o.spec(t, &s)
	pods := selected(t, objs, s.Selector)
	require.NotEmpty(t, pods, "%s: selects no Deployment", o)
	require.NotEmpty(t, s.Ports, "%s: ports", o)
	for _, p := range s.Ports {
		_, ok := pods[0].Spec.Containers[0].resolvePort(p.TargetPort)
		require.True(t, ok, "%s: targetPort %v is not a container port", o, p.TargetPort)
	}
}

// deploymentNamed finds a Deployment by name.
func deploymentNamed(objs []object, name string) bool {
	for _, o := range objs {
		if o.Kind == "Deployment" && o.Metadata.Name == name {
			return true
		}
	}
	return false
}
