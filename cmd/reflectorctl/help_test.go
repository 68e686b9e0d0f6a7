package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// cleanApp is the CLI with an empty environment, opening real connections.
func cleanApp(out *bytes.Buffer) *app {
	return &app{getenv: func(string) string { return "" }, out: out, errw: out}
}

// verbs lists every command path of the tree, root first.
func verbs(cmd *cobra.Command, prefix []string) [][]string {
	out := [][]string{prefix}
	for _, sub := range cmd.Commands() {
		out = append(out, verbs(sub, append(append([]string{}, prefix...), sub.Name()))...)
	}
	return out
}

// TestHelpWithoutConfiguration: --help of every verb works with no setting at all.
func TestHelpWithoutConfiguration(t *testing.T) {
	t.Parallel()
	root := cleanApp(&bytes.Buffer{}).root()
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	paths := verbs(root, nil)
	require.Greater(t, len(paths), 15)
	for _, path := range paths {
		t.Run(strings.Join(append([]string{"reflectorctl"}, path...), " "), func(t *testing.T) {
			var out bytes.Buffer
			root := cleanApp(&out).root()
			root.SetArgs(append(append([]string{}, path...), "--help"))
			require.NoError(t, root.ExecuteContext(context.Background()))
			require.Contains(t, out.String(), "Usage:")
		})
	}
}

// TestVerbsAskOnlyForWhatTheyUse: with nothing configured, a queue verb names REDIS_URL (not
// DATABASE_URL or a provider key) and a database verb names DATABASE_URL.
func TestVerbsAskOnlyForWhatTheyUse(t *testing.T) {
	t.Parallel()
	const id = "7b0c2a53-2d7e-4f3b-9a51-0d2b1b7a9c11"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tasks", "list", "default"}, "config: REDIS_URL: required"},
		{[]string{"run", "meeting:process"}, "config: REDIS_URL: required"},
		{[]string{"recordings", "list"}, "config: DATABASE_URL: required"},
		{[]string{"recordings", "missing"}, "config: DATABASE_URL: required"},
		{[]string{"webhooks", "list"}, "config: DATABASE_URL: required"},
		{[]string{"migrate", "status"}, "config: DATABASE_URL: required"},
		{[]string{"queue", "stats"}, "config: REDIS_URL: required"},
		{[]string{"queue", "pause", "low"}, "config: REDIS_URL: required"},
		{[]string{"queue", "retry-archived", "recording:download"}, "config: REDIS_URL: required"},
		{[]string{"meetings", "show", id}, "config: DATABASE_URL: required"},
		{[]string{"meetings", "end", id, "--yes"}, "config: DATABASE_URL: required"},
		{[]string{"rooms", "list"}, "config: DATABASE_URL: required"},
		{[]string{"rooms", "show", "r"}, "config: DATABASE_URL: required"},
		{[]string{"presence", id}, "config: DATABASE_URL: required"},
		{[]string{"webhooks", "daily", "list"}, "config: DAILY_API_KEY: required"},
		{[]string{"webhooks", "daily", "register", "https://x.example/v1/daily/webhook"}, "config: DAILY_API_KEY: required"},
	} {
		root := cleanApp(&bytes.Buffer{}).root()
		root.SetArgs(tc.args)
		require.EqualError(t, root.ExecuteContext(context.Background()), tc.want, tc.args)
	}
}

// TestCompletion: the shell completion scripts and dynamic completion of queue names.
func TestCompletion(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		var out bytes.Buffer
		root := cleanApp(&out).root()
		root.SetArgs([]string{"completion", shell})
		require.NoError(t, root.Execute())
		require.Contains(t, out.String(), "reflectorctl", shell)
	}
	var out bytes.Buffer
	root := cleanApp(&out).root()
	root.SetArgs([]string{cobra.ShellCompRequestCmd, "tasks", "list", ""})
	require.NoError(t, root.Execute())
	require.Contains(t, out.String(), "critical\ndefault\nlow\n")
	out.Reset()
	root = cleanApp(&out).root()
	root.SetArgs([]string{cobra.ShellCompRequestCmd, "tasks", "list", "default", ""})
	require.NoError(t, root.Execute())
	require.Contains(t, out.String(), "archived")
}

// TestRecordingsMissingNeedsOnlyTheDatabase: the ledger is one query, so `recordings missing`
// runs with DATABASE_URL alone (it used to ask for the whole recording set-up: TRANSCRIPTION_URL
// and the bucket settings).
func TestRecordingsMissingNeedsOnlyTheDatabase(t *testing.T) {
	t.Parallel()
	_, dbURL := storetest.NewDBURL(t)
	var out bytes.Buffer
	a := &app{getenv: func(k string) string { return map[string]string{"DATABASE_URL": dbURL}[k] }, out: &out, errw: &out}
	root := a.root()
	root.SetArgs([]string{"recordings", "missing"})
	require.NoError(t, root.ExecuteContext(context.Background()), out.String())
	require.Contains(t, out.String(), "0 meeting(s) missing a recording")
}
