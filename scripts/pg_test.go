// Package scripts_test runs the set-up scripts the way a newcomer does: scripts/pg.sh started
// twice, stopped, started again, and started from a second checkout while the first one holds
// the port. It uses a free port of its own and private data folders, never the shared cluster.
package scripts_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq" // the driver for the query through the url pg.sh prints
	"github.com/stretchr/testify/require"
)

// freePort is a loopback port nobody listens on now, so the test never needs a fixed port
// free (two checkouts may run it at once) and never touches the shared 55432.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return port
}

// pgBinaries skips the test when no Postgres server binaries are installed (pg.sh's own rule:
// PG_BIN, else the newest /usr/lib/postgresql/*/bin), and only then.
func pgBinaries(t *testing.T) {
	t.Helper()
	if bin := os.Getenv("PG_BIN"); bin != "" {
		if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); err == nil {
			return
		}
	}
	if found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl"); len(found) > 0 {
		return
	}
	t.Skip("no Postgres server binaries (set PG_BIN or install postgresql): pg.sh cannot be tested")
}

// dataDir returns a fresh folder for a cluster. As root pg.sh runs initdb as `postgres`, which
// must traverse the test's temporary folders (created 0700 for root).
func dataDir(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if os.Getuid() == 0 {
		for _, d := range []string{filepath.Dir(dir), dir} {
			require.NoError(t, os.Chmod(d, 0o711))
		}
	}
	return filepath.Join(dir, name)
}

// pgSh runs scripts/pg.sh with the private port and the given data folder.
func pgSh(t *testing.T, port int, data string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./pg.sh", args...)
	cmd.Env = append(os.Environ(), "PG_PORT="+strconv.Itoa(port), "PG_DATA="+data)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// startCluster starts a cluster and stops it when the test ends, whatever happens.
func startCluster(t *testing.T, port int, data string) (string, error) {
	t.Helper()
	t.Cleanup(func() {
		if out, err := pgSh(t, port, data, "stop"); err != nil {
			t.Logf("pg.sh stop %s: %v: %s", data, err, out)
		}
		stopLeftover(t, data)
	})
	return pgSh(t, port, data, "start")
}

// stopLeftover stops a server pg.sh failed to stop (a broken pg.sh must not leak a cluster
// whose folder the test is about to delete): fast shutdown of the postmaster in postmaster.pid.
func stopLeftover(t *testing.T, data string) {
	t.Helper()
	pidFile, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.SplitN(string(pidFile), "\n", 2)[0])
	if err != nil {
		return
	}
	if proc, err := os.FindProcess(pid); err == nil && proc.Signal(syscall.SIGINT) == nil {
		t.Logf("pg.sh left the cluster in %s running: stopped pid %d", data, pid)
		for i := 0; i < 100 && proc.Signal(syscall.Signal(0)) == nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func query(t *testing.T, url string) string {
	t.Helper()
	db, err := sql.Open("postgres", url)
	require.NoError(t, err)
	defer db.Close()
	var dir string
	require.NoError(t, db.QueryRow("SHOW data_directory").Scan(&dir))
	return dir
}

func portHeld(port int) bool {
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}

func TestPgShStartTwiceStopStartAndAPortHeldByAnotherCheckout(t *testing.T) {
	pgBinaries(t)
	port := freePort(t)
	first := dataDir(t, "pg")

	url, err := startCluster(t, port, first)
	require.NoError(t, err, url)
	require.Equal(t, "postgres://postgres@127.0.0.1:"+strconv.Itoa(port)+"/postgres?sslmode=disable", url)
	require.Equal(t, first, query(t, url), "the cluster serving the port is the one in PG_DATA")
	pidFile, err := os.ReadFile(filepath.Join(first, "postmaster.pid"))
	require.NoError(t, err)

	// The second start leaves the running cluster alone: same folder, same server process.
	again, err := pgSh(t, port, first, "start")
	require.NoError(t, err, again)
	require.Equal(t, url, again)
	samePid, err := os.ReadFile(filepath.Join(first, "postmaster.pid"))
	require.NoError(t, err)
	require.Equal(t, strings.SplitN(string(pidFile), "\n", 2)[0], strings.SplitN(string(samePid), "\n", 2)[0],
		"a second start must not start another server")
	printed, err := pgSh(t, port, first, "url")
	require.NoError(t, err)
	require.Equal(t, url, printed)
	require.Equal(t, first, query(t, url))

	out, err := pgSh(t, port, first, "stop")
	require.NoError(t, err, out)
	require.False(t, portHeld(port), "stop must free the port")
	_, err = os.Stat(filepath.Join(first, "postmaster.pid"))
	require.ErrorIs(t, err, os.ErrNotExist, "stop must stop the cluster")

	out, err = pgSh(t, port, first, "start")
	require.NoError(t, err, out)
	require.Equal(t, first, query(t, url), "start after stop serves the same cluster again")

	// Another checkout's cluster on the same port: one line naming the port, the folder that
	// holds it and how to choose another port, and nothing started in the second folder.
	second := dataDir(t, "pg")
	out, err = startCluster(t, port, second)
	require.Error(t, err, "a second cluster on a held port must fail")
	lines := strings.Split(out, "\n")
	require.Len(t, lines, 1, "one line, got: %s", out)
	require.Contains(t, out, "port "+strconv.Itoa(port))
	require.Contains(t, out, "held by the cluster in "+first)
	require.Contains(t, out, "PG_PORT=")
	require.NotContains(t, out, "could not start server")
	require.Equal(t, first, query(t, url), "the first cluster still serves the port")
}

// freshClone copies pg.sh into a new folder laid out like a checkout without .data, as a
// newcomer's clone is before its first `make services`. reachable opens the folders to the
// `postgres` user (as root pg.sh runs the cluster as postgres).
func freshClone(t *testing.T, reachable bool) string {
	t.Helper()
	dir := t.TempDir()
	if os.Getuid() == 0 && reachable {
		for _, d := range []string{filepath.Dir(dir), dir} {
			require.NoError(t, os.Chmod(d, 0o711))
		}
	}
	script, err := os.ReadFile("pg.sh")
	require.NoError(t, err)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "scripts"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "scripts", "pg.sh"), script, 0o755))
	return dir
}

// pgShDefault runs the clone's pg.sh with its default data folder (PG_DATA unset).
func pgShDefault(t *testing.T, clone string, port int, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(clone, "scripts", "pg.sh"), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG_DATA=") && !strings.HasPrefix(kv, "PG_PORT=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PG_PORT="+strconv.Itoa(port))
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// TestPgShDefaultFolderSurvivesDataAppearing is the newcomer's `make services && make
// services`: the first start runs before .data exists, then redis.sh creates .data, and the
// second start must find the same cluster, not initialise another one in .data/pg. As root it
// runs twice: with a checkout the postgres user can reach (cluster in .data/pg) and with one it
// cannot (cluster in /tmp/reflector-pg-*).
func TestPgShDefaultFolderSurvivesDataAppearing(t *testing.T) {
	pgBinaries(t)
	cases := []bool{true}
	if os.Getuid() == 0 {
		cases = append(cases, false)
	}
	for _, reachable := range cases {
		t.Run(fmt.Sprintf("reachable=%v", reachable), func(t *testing.T) {
			clone, port := freshClone(t, reachable), freePort(t)
			t.Cleanup(func() {
				if out, err := pgShDefault(t, clone, port, "stop"); err != nil {
					t.Logf("pg.sh stop: %v: %s", err, out)
				}
			})
			url, err := pgShDefault(t, clone, port, "start")
			require.NoError(t, err, url)
			dir := query(t, url)
			t.Cleanup(func() {
				stopLeftover(t, dir)
				if !strings.HasPrefix(dir, clone) {
					_ = os.RemoveAll(dir) // the /tmp cluster of an unreachable checkout
				}
			})
			if reachable {
				require.Equal(t, filepath.Join(clone, ".data", "pg"), dir)
			} else {
				require.True(t, strings.HasPrefix(dir, filepath.Join(os.TempDir(), "reflector-pg-")), dir)
			}
			pid, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
			require.NoError(t, err)

			require.NoError(t, os.MkdirAll(filepath.Join(clone, ".data", "redis"), 0o755), "what redis.sh does")
			again, err := pgShDefault(t, clone, port, "start")
			require.NoError(t, err, again)
			require.Equal(t, dir, query(t, again), "the second start finds the same cluster")
			samePid, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
			require.NoError(t, err)
			require.Equal(t, strings.SplitN(string(pid), "\n", 2)[0], strings.SplitN(string(samePid), "\n", 2)[0])

			out, err := pgShDefault(t, clone, port, "stop")
			require.NoError(t, err, out)
			require.False(t, portHeld(port), "stop stops the cluster that start started")
		})
	}
}
