package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// healthcheckCmd probes a process's /healthz or /readyz from inside its container: the
// image has no wget or curl, so compose's healthcheck runs this binary instead.
func (a *app) healthcheckCmd() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "healthcheck <url>",
		Short: "GET a health endpoint; exit 0 on a 2xx answer (container healthchecks)",
		Example: "  reflectorctl healthcheck http://127.0.0.1:1250/readyz   # api (HTTP_ADDR)\n" +
			"  reflectorctl healthcheck http://127.0.0.1:9090/readyz   # worker, scheduler (OPS_ADDR)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			status, err := probe(cmd.Context(), args[0], timeout)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, status)
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	return cmd
}

// probe GETs url and returns its status line; any answer but 2xx is an error.
func probe(ctx context.Context, url string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("healthcheck: %s answered %s", req.URL.Redacted(), resp.Status)
	}
	return resp.Status, nil
}
