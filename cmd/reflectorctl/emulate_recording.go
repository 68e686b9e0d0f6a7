package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/sqsfake"
	"github.com/monadical/reflector-go/pkg/transcribe/emulator"
)

// sttPrefix is where emulate-recording serves the speech-to-text endpoint: set
// TRANSCRIPTION_URL to http://<addr>/stt/v1.
const sttPrefix = "/stt/v1"

// emulateRecordingCmd serves the recording back ends on one address for `make dev`: an
// in-memory S3 (gofakes3; point TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL at it), SQS (requests
// carrying X-Amz-Target; AWS_SQS_ENDPOINT_URL) and the speech-to-text emulator under /stt/v1.
// Everything lives in memory and is gone on exit.
func (a *app) emulateRecordingCmd() *cobra.Command {
	var addr, buckets, queue, key string
	cmd := &cobra.Command{
		Use:   "emulate-recording",
		Short: "Serve S3, SQS and a speech-to-text endpoint for local development",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.LoadFor(a.getenv, config.NeedNothing)
			if err != nil {
				return fmt.Errorf("config: %w", err)
			}
			orDefault(&buckets, configuredBuckets(cfg))
			orDefault(&key, cfg.Recording.TranscriptionKey)
			h, queueURL, err := recordingEmulators(addr, buckets, queue, key)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "recording emulators on %s: S3 at /, SQS queue %s, speech-to-text at %s\n", addr, queueURL, sttPrefix)
			return serve(cmd.Context(), addr, h)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:1252", "listen address")
	f.StringVar(&buckets, "buckets", "", "comma-separated buckets to create (default: the configured buckets)")
	f.StringVar(&queue, "queue", "recordings", "SQS queue to create")
	f.StringVar(&key, "stt-api-key", "", "Bearer key the speech-to-text emulator expects (default $TRANSCRIPTION_API_KEY)")
	return cmd
}

// configuredBuckets are the buckets the configuration names.
func configuredBuckets(cfg *config.Config) string {
	var out []string
	for _, v := range []string{cfg.Recording.StorageBucket, cfg.Daily.BucketName, cfg.Whereby.BucketName} {
		if v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, ",")
}

// recordingEmulators builds the handler and returns the queue's URL.
func recordingEmulators(addr, buckets, queue, sttKey string) (http.Handler, string, error) {
	backend := s3mem.New()
	for _, b := range strings.Split(buckets, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		if err := backend.CreateBucket(b); err != nil && !gofakes3.IsAlreadyExists(err) {
			return nil, "", fmt.Errorf("emulate-recording: bucket %q: %w", b, err)
		}
	}
	s3 := gofakes3.New(backend, gofakes3.WithIntegrityCheck(false)).Server()
	sqs := sqsfake.New(baseURL(addr), sqsfake.Options{})
	queueURL := sqs.CreateQueue(queue)
	stt := emulator.New(emulator.Options{APIKey: sttKey})
	mux := http.NewServeMux()
	mux.Handle(sttPrefix+"/", stt)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "" {
			sqs.ServeHTTP(w, r)
			return
		}
		s3.ServeHTTP(w, r)
	}))
	return mux, queueURL, nil
}

// baseURL is the URL clients reach addr at (an empty host means loopback).
func baseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// serve runs h on addr until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("emulate-recording %s: %w", addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("emulate-recording shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("emulate-recording %s: %w", addr, err)
	}
	return nil
}
