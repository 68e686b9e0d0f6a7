package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/heartbeat"
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
			p := heartbeat.Pinger{URL: args[0], Client: &http.Client{Timeout: timeout}}
			if err := p.Ping(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintln(a.out, "ok")
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	return cmd
}
