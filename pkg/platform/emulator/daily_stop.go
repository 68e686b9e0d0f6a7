package emulator

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// stopRecording stops the recording of one instance (body {"instanceId","type"}, both
// optional) and makes it a finished recording: listed by GET /recordings, a synthetic audio
// file behind its access link (cloud), and a signed recording.ready-to-download sent to the
// active webhooks. No active recording of the instance answers 400, as Daily does.
func (d *Daily) stopRecording(w http.ResponseWriter, r *http.Request) {
	b, ok := d.readRecordingBody(w, r)
	if !ok {
		return
	}
	rec, ok := d.StopRecording(r.PathValue("name"), b.InstanceID)
	if !ok {
		dailyError(w, http.StatusBadRequest, "no active recording of instance "+b.InstanceID)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "sent", "recordingId": rec.ID})
}

// StopRecording stops a room's recording of instance ("" is Daily's default instance), as the
// stop endpoint does, and reports false when that instance is not recording.
func (d *Daily) StopRecording(room, instance string) (DailyRecording, bool) {
	if instance == "" {
		instance = dailyDefaultInstance
	}
	now := d.Now()
	d.mu.Lock()
	i := slices.IndexFunc(d.active, func(a ActiveRecording) bool { return a.RoomName == room && a.InstanceID == instance })
	if i < 0 {
		d.mu.Unlock()
		return DailyRecording{}, false
	}
	a := d.active[i]
	d.active = slices.Delete(d.active, i, i+1)
	d.mu.Unlock()
	rec := d.finished(a, now)
	d.AddRecording(rec)
	d.deliver(d.readyEvent(rec, a.Start))
	return rec, true
}

// finished is the recording object of a stopped recording. A cloud recording gets a few
// seconds of synthetic audio (capped, so a long dev call stays small); a raw-tracks one names
// one audio track, whose file would be in the customer's bucket.
func (d *Daily) finished(a ActiveRecording, now time.Time) DailyRecording {
	dur := max(1, int(now.Sub(a.Start).Seconds()))
	key := fmt.Sprintf("%s/%s/%d", d.domain, a.RoomName, a.Start.UnixMilli())
	rec := DailyRecording{ID: a.ID, RoomName: a.RoomName, StartTS: a.Start.Unix(), Status: "finished",
		MaxParticipants: 1, Duration: &dur, S3Key: key, MtgSessionID: newUUID(), Tracks: []DailyTrack{}}
	if a.Type == "raw-tracks" {
		track := fmt.Sprintf("%s-%s-cam-audio-%d", key, newUUID(), a.Start.UnixMilli())
		rec.Tracks = []DailyTrack{{Type: "audio", S3Key: track, Size: 0}}
		return rec
	}
	d.mu.Lock()
	d.media[a.ID] = SyntheticWAV(min(time.Duration(dur)*time.Second, 5*time.Second))
	d.mu.Unlock()
	return rec
}

func (d *Daily) readyEvent(rec DailyRecording, start time.Time) DailyEvent {
	dur := time.Duration(*rec.Duration) * time.Second
	if len(rec.Tracks) > 0 {
		return DailyRecordingReadyRawTracks(rec.RoomName, rec.ID, rec.S3Key, start, dur, rec.Tracks)
	}
	return DailyRecordingReadyCloud(rec.RoomName, rec.ID, rec.S3Key, start, dur)
}

// deliver POSTs the event, signed with each webhook's key, to every ACTIVE webhook subscribed
// to its type, in the background. A non-200 answer counts a failure; three in a row mark the
// webhook FAILED (Daily's circuit breaker) and a success resets the count. WaitDeliveries
// waits for the sends in flight.
func (d *Daily) deliver(ev DailyEvent) {
	for _, h := range d.Webhooks() {
		if h.State != "ACTIVE" || (len(h.EventTypes) > 0 && !slices.Contains(h.EventTypes, ev.Type)) {
			continue
		}
		d.sends.Add(1)
		go func() {
			defer d.sends.Done()
			d.settle(h.UUID, d.send(h, ev))
		}()
	}
}

// WaitDeliveries blocks until the webhook sends started so far are done.
func (d *Daily) WaitDeliveries() { d.sends.Wait() }

func (d *Daily) send(h DailyWebhook, ev DailyEvent) bool {
	key, err := decodeKey(h.HMAC)
	if err != nil {
		return false
	}
	body, err := compactJSON(ev)
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := post(ctx, d.client, h.URL, body, d.signHeaders(key, body))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (d *Daily) settle(uuid string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, h := range d.webhooks {
		if h.UUID != uuid {
			continue
		}
		if ok {
			h.FailedCount = 0
			continue
		}
		if h.FailedCount++; h.FailedCount >= 3 {
			h.State = "FAILED"
		}
	}
}
