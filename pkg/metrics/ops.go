package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"time"

	"go.uber.org/zap"
)

// Check is one readiness dependency (database, redis): nil when usable.
type Check func(ctx context.Context) error

// OpsHandler serves the ops endpoints of a process without an HTTP API (worker, scheduler):
// /healthz (the process is alive), /readyz (every check passes; 503 naming the failing ones)
// and /metrics.
func (m *Metrics) OpsHandler(checks map[string]Check, log *zap.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		out, status := map[string]string{}, http.StatusOK
		for _, name := range sortedKeys(checks) {
			if err := checks[name](ctx); err != nil {
				out[name], status = "unavailable", http.StatusServiceUnavailable
				log.Warn("readiness check failed", zap.String("dependency", name), zap.Error(err))
				continue
			}
			out[name] = "ok"
		}
		writeJSON(w, status, out)
	})
	if m != nil {
		mux.Handle("GET /metrics", m.Handler())
	}
	return mux
}

func sortedKeys(m map[string]Check) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ServeOps listens on addr (OPS_ADDR; "" serves nothing) until ctx ends. The listener is
// opened before it returns, so a taken port fails the process at start.
func ServeOps(ctx context.Context, addr string, h http.Handler, log *zap.Logger) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ops listener %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("ops listener stopped", zap.Error(err))
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("ops listening", zap.String("addr", ln.Addr().String()))
	return nil
}
