// Package heartbeat GETs a health URL and wants a 2xx answer. The worker pings the uptime
// monitor of HEALTHCHECK_URL with it (the monitor alerts when the pings stop: a stopped
// scheduler, workers that no longer run tasks), and `reflectorctl healthcheck` probes a
// process's /readyz with it inside a container that has no wget or curl.
package heartbeat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// timeout bounds one ping, as the original's 10 s.
const timeout = 10 * time.Second

// Pinger GETs URL.
type Pinger struct {
	URL    string
	Client *http.Client // nil: a client with the 10 s timeout
}

// Ping sends one ping; any answer but 2xx is an error. Errors never quote the URL, whose
// path is the check's secret.
func (p Pinger) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return errors.New("healthcheck ping: bad URL")
	}
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	resp, err := client.Do(req)
	if err != nil {
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("healthcheck ping to %s: %w", req.URL.Host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("healthcheck ping to %s: %s", req.URL.Host, resp.Status)
	}
	return nil
}
