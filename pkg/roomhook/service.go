package roomhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/room"
)

// ErrNotOwner: only the room's owner may test its webhook.
var ErrNotOwner = errors.New("roomhook: not the room owner")

// Completed is what the transcript.completed payload is built from.
type Completed struct {
	Transcript    TranscriptData
	Room          RoomRef
	URL, Secret   string // the room's webhook
	CalendarEvent *CalendarEvent
}

// Store reads what the webhooks need.
type Store interface {
	RoomByID(ctx context.Context, id uuid.UUID) (room.Room, error)
	// HookCompleted reads a transcript with its room and calendar event; FrontendURL is left
	// for the service to fill.
	HookCompleted(ctx context.Context, transcriptID uuid.UUID) (Completed, error)
}

// Config wires the service.
type Config struct {
	Store     Store
	Sender    *Sender
	UIBaseURL string // frontend_url is <UIBaseURL>/transcripts/<id>
	Log       *zap.Logger
	Now       func() time.Time
}

// Service sends a room's webhooks.
type Service struct{ cfg Config }

// NewService returns the service.
func NewService(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

// TestResult is the original's WebhookTestResult.
type TestResult struct {
	Success         bool    `json:"success"`
	Message         string  `json:"message"`
	Error           string  `json:"error"`
	StatusCode      *int    `json:"status_code"`
	ResponsePreview *string `json:"response_preview"`
}

// Test sends the original's test event to the room's webhook now and reports the answer.
// Only the owner may; a room without a webhook URL answers success false.
func (s *Service) Test(ctx context.Context, userID string, roomID uuid.UUID) (TestResult, error) {
	r, err := s.cfg.Store.RoomByID(ctx, roomID)
	if err != nil {
		return TestResult{}, fmt.Errorf("roomhook.Test: %w", err)
	}
	if !r.IsOwner(userID) {
		return TestResult{}, ErrNotOwner
	}
	if r.WebhookURL == nil || *r.WebhookURL == "" {
		return TestResult{Error: "No webhook URL configured"}, nil
	}
	body, err := json.Marshal(TestPayload{Event: EventTest, EventID: newEventID(), Timestamp: s.cfg.Now().UTC(),
		Message: "This is a test webhook from Reflector", Room: RoomRef{ID: r.ID, Name: r.Name}})
	if err != nil {
		return TestResult{}, fmt.Errorf("roomhook.Test: %w", err)
	}
	resp, err := s.cfg.Sender.Send(ctx, *r.WebhookURL, EventTest, body, deref(r.WebhookSecret), 0)
	if err != nil {
		return TestResult{Error: "Could not connect to webhook URL: " + err.Error()}, nil //nolint:nilerr // a failed send is the test's result
	}
	res := TestResult{Success: resp.OK(), StatusCode: &resp.Status, Message: "Webhook test failed"}
	if res.Success {
		res.Message = "Webhook test successful"
	}
	if resp.Preview != "" {
		res.ResponsePreview = &resp.Preview
	}
	return res, nil
}

// Deliver sends transcript.completed for a transcript to its room's webhook. nil means done:
// delivered, no webhook configured, or refused with a 4xx (the receiver rejects it; retrying
// would not help, as in the original). An error is worth retrying.
func (s *Service) Deliver(ctx context.Context, transcriptID uuid.UUID, eventID string, retry int) error {
	c, err := s.cfg.Store.HookCompleted(ctx, transcriptID)
	if errors.Is(err, room.ErrNotFound) {
		return nil // transcript or room gone
	}
	if err != nil {
		return fmt.Errorf("roomhook.Deliver %s: %w", transcriptID, err)
	}
	if c.URL == "" {
		return nil
	}
	c.Transcript.FrontendURL = strings.TrimRight(s.cfg.UIBaseURL, "/") + "/transcripts/" + transcriptID.String()
	body, err := json.Marshal(Payload{Event: EventTranscriptCompleted, EventID: eventID, Timestamp: s.cfg.Now().UTC(),
		Transcript: c.Transcript, Room: c.Room, CalendarEvent: c.CalendarEvent})
	if err != nil {
		return fmt.Errorf("roomhook.Deliver %s: %w", transcriptID, err)
	}
	resp, err := s.cfg.Sender.Send(ctx, c.URL, EventTranscriptCompleted, body, c.Secret, retry)
	log := s.cfg.Log.With(zap.Stringer("transcript_id", transcriptID), zap.Stringer("room_id", c.Room.ID), zap.Int("retry", retry))
	switch {
	case err != nil:
		return fmt.Errorf("roomhook.Deliver %s: %w", transcriptID, err)
	case resp.OK():
		log.Info("room webhook delivered", zap.Int("status", resp.Status))
		return nil
	case resp.Status >= 400 && resp.Status < 500:
		log.Error("room webhook refused by the receiver; not retrying", zap.Int("status", resp.Status))
		return nil
	}
	return fmt.Errorf("roomhook.Deliver %s: receiver answered %d %s", transcriptID, resp.Status, http.StatusText(resp.Status))
}

// NewEventID is a fresh event id (hex, as the original's uuid4().hex).
func NewEventID() string { return newEventID() }

func newEventID() string { return strings.ReplaceAll(uuid.NewString(), "-", "") }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
