package faulttest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/migrate"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	stt "github.com/monadical/reflector-go/pkg/transcribe/emulator"
)

// The stack's ports are FAULT_TEST_PORT_BASE (default 17710) plus an offset: its own Postgres
// and Redis (never the shared ones, which this test stops and restarts), the API replicas and
// every process's ops listener. Two runs on one host need different bases.
const (
	pgOffset, redisOffset, apiOffset, opsOffset = 0, 1, 10, 20
	apis                                        = 2
	dailyBucket                                 = "daily-fault"
	ourBucket                                   = "reflector-fault"
)

func portBase() int {
	if b, err := strconv.Atoi(os.Getenv("FAULT_TEST_PORT_BASE")); err == nil && b > 0 {
		return b
	}
	return 17710
}

// stack is the system under test: binaries as child processes, emulators in this process.
type stack struct {
	t        *testing.T
	dir, bin string
	env      []string
	daily    *emulator.Daily
	stt      *stt.Emulator
	recURL   string
	db       *sqlx.DB
	mu       sync.Mutex
	procs    map[string]*child
	base     int // see portBase
}

func (s *stack) port(offset int) int { return s.base + offset }

// apiURL is API replica i's base URL.
func (s *stack) apiURL(i int) string { return fmt.Sprintf("http://127.0.0.1:%d", s.port(apiOffset+i)) }

// child is a running process and a channel closed once it has exited.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func newStack(t *testing.T) *stack {
	dir, err := os.MkdirTemp("", "faulttest-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755)) // the postgres user reaches its data folder
	s := &stack{t: t, dir: dir, bin: filepath.Join(dir, "bin"), procs: map[string]*child{}, base: portBase()}
	t.Cleanup(s.stopAll)
	s.build()
	s.pg("start")
	s.redis()
	s.emulators()
	s.database()
	return s
}

func (s *stack) build() {
	out, err := exec.Command("go", "build", "-o", s.bin+"/", "../../cmd/...").CombinedOutput()
	require.NoError(s.t, err, "go build: %s", out)
}

// pg runs scripts/pg.sh on the stack's own cluster.
func (s *stack) pg(verb string) {
	cmd := exec.Command("../../scripts/pg.sh", verb)
	cmd.Env = append(os.Environ(), fmt.Sprintf("PG_PORT=%d", s.port(pgOffset)), "PG_DATA="+filepath.Join(s.dir, "pg"))
	out, err := cmd.CombinedOutput()
	require.NoError(s.t, err, "pg.sh %s: %s", verb, out)
}

// redis starts an empty Redis (persistence off), or restarts it empty.
func (s *stack) redis() {
	s.kill("redis")
	s.start("redis", "redis-server", "--bind", "127.0.0.1", "--port", fmt.Sprint(s.port(redisOffset)), "--save", "",
		"--appendonly", "no", "--dir", s.dir)
	require.Eventually(s.t, func() bool {
		return exec.Command("redis-cli", "-p", fmt.Sprint(s.port(redisOffset)), "ping").Run() == nil
	}, 10*time.Second, 50*time.Millisecond)
}

func (s *stack) emulators() {
	s.daily = emulator.NewDaily(emulator.DailyOptions{APIKey: "fault-key", PresenceLag: 2 * time.Second})
	dailyURL, stop := s.daily.Start()
	s.t.Cleanup(stop)
	backend := s3mem.New()
	for _, b := range []string{dailyBucket, ourBucket} {
		require.NoError(s.t, backend.CreateBucket(b))
	}
	s3 := gofakes3.New(backend, gofakes3.WithIntegrityCheck(false)).Server()
	s.stt = stt.New(stt.Options{APIKey: "stt-key", Latency: 300 * time.Millisecond})
	mux := http.NewServeMux()
	mux.Handle("/stt/v1/", s.stt)
	mux.Handle("/", s3)
	rec := httptest.NewServer(mux)
	s.t.Cleanup(rec.Close)
	s.recURL = rec.URL
	s.env = append(os.Environ(),
		fmt.Sprintf("DATABASE_URL=postgres://postgres@127.0.0.1:%d/reflector?sslmode=disable", s.port(pgOffset)),
		fmt.Sprintf("REDIS_URL=redis://127.0.0.1:%d/0", s.port(redisOffset)),
		"AUTH_BACKEND=none", "DEFAULT_VIDEO_PLATFORM=daily", "DAILY_MIGRATION_ENABLED=true",
		"DAILY_API_KEY=fault-key", "DAILY_API_URL="+dailyURL, "DAILY_WEBHOOK_SECRET="+s.daily.WebhookSecret(),
		"LOG_JSON=true", "LOG_LEVEL=info", "WORKER_SHUTDOWN_TIMEOUT=5s", "DATABASE_MAX_CONNS=20",
		"PROCESS_MEETINGS_INTERVAL=2s", "JOIN_INTENT_TTL=5s", "PRESENCE_LAG_WINDOW=4s", "RECORDING_LEASE=20s",
		"TRANSCRIPTION_URL="+rec.URL+"/stt/v1", "TRANSCRIPTION_API_KEY=stt-key",
		"TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL="+rec.URL, "TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID=fault",
		"TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY=fault", "TRANSCRIPT_STORAGE_AWS_BUCKET_NAME="+ourBucket,
		"DAILYCO_STORAGE_AWS_BUCKET_NAME="+dailyBucket,
		// The load comes from one address: no per-client limits. Orphaned provider rooms
		// (burst_test.go) are swept within the run.
		"RATE_LIMIT_WRITES_PER_MINUTE=10000000", "RATE_LIMIT_WRITES_BURST=1000000",
		"RATE_LIMIT_MEETING_CREATES_PER_MINUTE=1000000",
		"PROVIDER_ROOM_SWEEP_MARGIN=20s", "PROVIDER_ROOM_SWEEP_INTERVAL=5s")
}

func (s *stack) database() {
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port(pgOffset))
	db, err := sqlx.Open("postgres", admin)
	require.NoError(s.t, err)
	_, _ = db.Exec("DROP DATABASE IF EXISTS reflector WITH (FORCE)")
	_, err = db.Exec("CREATE DATABASE reflector")
	require.NoError(s.t, err)
	_ = db.Close()
	url := strings.Replace(admin, "/postgres?", "/reflector?", 1)
	require.NoError(s.t, migrate.Up(url))
	s.db, err = sqlx.Open("postgres", url)
	require.NoError(s.t, err)
	s.t.Cleanup(func() { _ = s.db.Close() })
}

// apps starts two API replicas, two workers and the scheduler.
func (s *stack) apps() {
	for i := range apis {
		s.api(i)
		s.worker(i)
	}
	s.start("scheduler", s.bin+"/scheduler", s.opsAddr(4))
	for i := range apis {
		require.Eventually(s.t, func() bool {
			res, err := http.Get(s.apiURL(i) + "/readyz")
			if err == nil {
				_ = res.Body.Close()
			}
			return err == nil && res.StatusCode == http.StatusOK
		}, 30*time.Second, 100*time.Millisecond)
	}
}

func (s *stack) api(i int) {
	s.start(fmt.Sprintf("api%d", i), s.bin+"/api", fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", s.port(apiOffset+i)), s.opsAddr(i))
}

func (s *stack) worker(i int) {
	s.start(fmt.Sprintf("worker%d", i), s.bin+"/worker", s.opsAddr(2+i))
}

// opsAddr gives each process its own ops listener (metrics, health): they all default to
// :9090, and a second process on one host would exit on the taken port.
func (s *stack) opsAddr(i int) string {
	return fmt.Sprintf("OPS_ADDR=127.0.0.1:%d", s.port(opsOffset+i))
}

// start runs a child process; arguments of the form KEY=VALUE are added to its environment.
func (s *stack) start(name, path string, args ...string) {
	cmd := exec.Command(path)
	cmd.Env = s.env
	for _, a := range args {
		if k, _, ok := strings.Cut(a, "="); ok && k == strings.ToUpper(k) && !strings.HasPrefix(a, "-") {
			cmd.Env = append(cmd.Env, a)
			continue
		}
		cmd.Args = append(cmd.Args, a)
	}
	f, err := os.OpenFile(filepath.Join(s.dir, name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(s.t, err)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	require.NoError(s.t, cmd.Start())
	c := &child{cmd: cmd, done: make(chan struct{})}
	s.mu.Lock()
	s.procs[name] = c
	s.mu.Unlock()
	go func() { _ = cmd.Wait(); _ = f.Close(); close(c.done) }()
}

// kill sends SIGKILL to a child (kill -9) and waits until it is gone.
func (s *stack) kill(name string) {
	s.mu.Lock()
	c := s.procs[name]
	delete(s.procs, name)
	s.mu.Unlock()
	if c == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

func (s *stack) stopAll() {
	s.mu.Lock()
	names := make([]string, 0, len(s.procs))
	for n := range s.procs {
		names = append(names, n)
	}
	s.mu.Unlock()
	for _, n := range names {
		s.kill(n)
	}
	s.pg("stop")
	if !s.t.Failed() {
		_ = os.RemoveAll(s.dir)
	} else {
		s.t.Logf("fault-test logs kept in %s", s.dir)
	}
}

// put stores an object in the emulated S3.
func (s *stack) put(bucket, key string, body []byte) {
	req, err := http.NewRequest(http.MethodPut, s.recURL+"/"+bucket+"/"+key, bytes.NewReader(body))
	require.NoError(s.t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	_ = res.Body.Close()
	require.Less(s.t, res.StatusCode, 300)
}
