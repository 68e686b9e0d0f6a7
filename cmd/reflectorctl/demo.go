package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/recording"
)

// demoCmd is `demo`: the recording loop of `make dev`, step by step, against a running stack.
func (a *app) demoCmd() *cobra.Command {
	var room, token string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Room -> meeting -> join -> Daily recording -> transcript against the dev stack (BASE_URL, DAILY_API_URL, DATABASE_URL)",
		Long: "demo drives the recording loop of `make dev` and prints each step: it creates a Daily room\n" +
			"through the API, gets its meeting, joins it, starts a cloud recording through the API, stops\n" +
			"it at the Daily emulator (which stands in for the call ending: it stores a short synthetic\n" +
			"audio file and sends a signed recording.ready-to-download), then waits until the worker has\n" +
			"downloaded, probed and transcribed it, and prints the transcript.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.LoadFor(a.getenv, config.NeedDatabase)
			if err != nil {
				return fmt.Errorf("config: %w", err)
			}
			if room == "" {
				room = "demo-" + uuid.NewString()[:8]
			}
			d := demo{api: newAPIClient(cfg.BaseURL, token), daily: newAPIClient(cfg.Daily.APIURL, cfg.Daily.APIKey),
				out: a.out, room: room}
			return a.with(cmd, usesDB, func(ctx context.Context, c *ctl) error {
				ctx, cancel := context.WithTimeout(ctx, timeout)
				defer cancel()
				d.store, d.poll = c.store, c.poll
				return d.run(ctx)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&room, "room", "", "name of the room to create (default demo-<random>)")
	f.StringVar(&token, "token", "", "bearer token for the API when AUTH_BACKEND=jwt")
	f.DurationVar(&timeout, "timeout", 2*time.Minute, "give up after this long")
	return cmd
}

// demoStore reads the recording and its transcript.
type demoStore interface {
	RecordingsRecent(ctx context.Context, status recording.Status, limit int) ([]recording.Recording, error)
	TranscriptForRecording(ctx context.Context, recID uuid.UUID) (recording.Transcript, error)
}

// demo is one run of the loop.
type demo struct {
	api, daily apiClient
	store      demoStore
	out        interface{ Write([]byte) (int, error) }
	room       string
	poll       time.Duration
}

func (d demo) step(format string, args ...any) { fmt.Fprintf(d.out, "==> "+format+"\n", args...) }

func (d demo) run(ctx context.Context) error {
	var created struct{ ID string }
	if err := d.api.call(ctx, "POST", "/v1/rooms", map[string]any{"name": d.room, "platform": "daily",
		"recording_type": "cloud", "recording_trigger": "automatic-2nd-participant"}, &created); err != nil {
		return fmt.Errorf("demo: create room: %w", err)
	}
	d.step("room %s created (%s), platform daily, cloud recording", d.room, created.ID)
	var m struct {
		ID       string `json:"id"`
		RoomName string `json:"room_name"`
		Platform string `json:"platform"`
	}
	if err := d.api.call(ctx, "POST", "/v1/rooms/"+d.room+"/meeting", map[string]any{}, &m); err != nil {
		return fmt.Errorf("demo: meeting: %w", err)
	}
	d.step("meeting %s on %s, provider room %s", m.ID, m.Platform, m.RoomName)
	var joined struct {
		RoomURL string `json:"room_url"`
	}
	if err := d.api.call(ctx, "POST", "/v1/rooms/"+d.room+"/meetings/"+m.ID+"/join", map[string]any{}, &joined); err != nil {
		return fmt.Errorf("demo: join: %w", err)
	}
	d.step("joined: room URL with a meeting token (%t)", strings.Contains(joined.RoomURL, "t="))
	recID, err := d.record(ctx, m.ID, m.RoomName)
	if err != nil {
		return err
	}
	return d.awaitTranscript(ctx, recID)
}

// record starts a cloud recording through the API and stops it at the Daily emulator; it
// returns Daily's recording id.
func (d demo) record(ctx context.Context, meetingID, providerRoom string) (string, error) {
	instance := uuid.NewString()
	var started struct{ Status string }
	if err := d.api.call(ctx, "POST", "/v1/meetings/"+meetingID+"/recordings/start",
		map[string]any{"type": "cloud", "instanceId": instance}, &started); err != nil {
		return "", fmt.Errorf("demo: start recording: %w", err)
	}
	d.step("recording started through the API: %s", started.Status)
	var stopped struct {
		RecordingID string `json:"recordingId"`
	}
	if err := d.daily.call(ctx, "POST", "/rooms/"+providerRoom+"/recordings/stop",
		map[string]any{"instanceId": instance}, &stopped); err != nil {
		return "", fmt.Errorf("demo: stop recording at the Daily emulator: %w", err)
	}
	d.step("recording %s stopped: the emulator sent a signed recording.ready-to-download", stopped.RecordingID)
	return stopped.RecordingID, nil
}

// awaitTranscript follows the recording through download, probe and transcription, printing
// each status it reaches, and prints the transcript.
func (d demo) awaitTranscript(ctx context.Context, providerID string) error {
	seen := ""
	for {
		rec, t, err := d.lookup(ctx, providerID)
		if err != nil {
			return err
		}
		state := "waiting for the webhook"
		if rec != nil {
			state = "recording " + string(rec.Status)
			if t != nil {
				state += ", transcript " + string(t.Status)
			}
		}
		if state != seen {
			d.step("%s", state)
			seen = state
		}
		switch {
		case rec != nil && rec.Status == recording.StatusFailed:
			return fmt.Errorf("demo: recording %s failed: %s", rec.ID, rec.LastError)
		case t != nil && t.Status == recording.TranscriptError:
			return fmt.Errorf("demo: transcript %s failed: %s", t.ID, t.Error)
		case t != nil && t.Status == recording.TranscriptEnded:
			d.printTranscript(*t)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("demo: no transcript yet (%s): %w", state, ctx.Err())
		case <-time.After(d.poll):
		}
	}
}

func (d demo) lookup(ctx context.Context, providerID string) (*recording.Recording, *recording.Transcript, error) {
	recs, err := d.store.RecordingsRecent(ctx, "", 100)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: %w", err)
	}
	for _, r := range recs {
		if r.ProviderRecordingID != providerID {
			continue
		}
		t, err := d.store.TranscriptForRecording(ctx, r.ID)
		switch {
		case errors.Is(err, recording.ErrNotFound):
			return &r, nil, nil
		case err != nil:
			return nil, nil, fmt.Errorf("demo: %w", err)
		}
		return &r, &t, nil
	}
	return nil, nil, nil
}

func (d demo) printTranscript(t recording.Transcript) {
	d.step("transcript %s (%d segments, %.1f s):", t.ID, len(t.Segments), t.Duration/1000)
	for _, s := range t.Segments {
		fmt.Fprintf(d.out, "    [%6.1f-%6.1f] speaker %d: %s\n", s.Start, s.End, s.Speaker, strings.TrimSpace(s.Text))
	}
}
