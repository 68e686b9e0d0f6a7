package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Mount points of ListenAndServe: set DAILY_API_URL-style base URLs to
// http://<addr>/daily/v1 and http://<addr>/whereby/v1.
const (
	DailyPrefix   = "/daily/v1"
	WherebyPrefix = "/whereby/v1"
)

// ListenAndServe serves both emulators on one address for the local dev stack, Daily
// under /daily/v1 and Whereby under /whereby/v1 (a nil emulator is not mounted), until ctx
// ends; then it shuts down gracefully and returns nil.
func ListenAndServe(ctx context.Context, addr string, d *Daily, w *Whereby) error {
	mux := http.NewServeMux()
	if d != nil {
		mux.Handle(DailyPrefix+"/", http.StripPrefix(DailyPrefix, d.Handler()))
	}
	if w != nil {
		mux.Handle(WherebyPrefix+"/", http.StripPrefix(WherebyPrefix, w.Handler()))
	}
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("emulator.ListenAndServe %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("emulator.ListenAndServe shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("emulator.ListenAndServe %s: %w", addr, err)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
