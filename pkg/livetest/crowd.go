// Package livetest drives the whole system like a crowd of browser tabs: clients that join,
// sit in the WebRTC handshake, connect, leave and rejoin quickly, and a watcher that counts
// how often users of one room end up in different provider rooms (splits) or in a deleted
// one (orphans). `make race-test` runs it in process (livetest_test.go); `make fault-test`
// (pkg/faulttest) runs it against real processes while it kills them.
package livetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// API sends one request to the API and returns its status (0 when the request did not get
// an answer) and its JSON object body (nil when it is none).
type API interface {
	Call(method, path string, body any) (int, map[string]any)
}

// Provider is the video provider clients connect in (the Daily emulator).
type Provider interface {
	Join(roomName, sessionID, userID, userName string)
	Leave(roomName, sessionID string)
	RoomExists(name string) bool
}

// Counters are the outcome of a run.
type Counters struct {
	Splits, Orphans, Rejoins, Joins atomic.Int64
}

// Crowd is Clients browser tabs spread over Rooms (existing app rooms with no grace period).
type Crowd struct {
	API      API
	Provider Provider
	Rooms    []string
	Clients  int
	C        *Counters
}

// Run drives the crowd until ctx ends and returns when every client stopped.
func (cr *Crowd) Run(ctx context.Context) {
	mus := map[string]*sync.Mutex{}
	present := map[string]map[int]string{}
	for _, r := range cr.Rooms {
		mus[r], present[r] = &sync.Mutex{}, map[int]string{}
	}
	var wg sync.WaitGroup
	for i := range cr.Clients {
		name := cr.Rooms[i%len(cr.Rooms)]
		cl := &client{cr: cr, room: name, id: i, mu: mus[name], present: present[name]}
		wg.Add(1)
		go func() { defer wg.Done(); cl.run(ctx, rand.New(rand.NewPCG(uint64(i), 7))) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); cr.watch(ctx, mus, present) }()
	wg.Wait()
}

// client is one browser tab cycling through join → handshake → connected → leave.
type client struct {
	cr      *Crowd
	room    string
	id      int
	mu      *sync.Mutex
	present map[int]string // client id → provider room it is connected in (per app room)
}

func (cl *client) run(ctx context.Context, rng *rand.Rand) {
	c, api, prov := cl.cr.C, cl.cr.API, cl.cr.Provider
	quick := false
	for n := 0; ctx.Err() == nil; n++ {
		if quick {
			c.Rejoins.Add(1)
		}
		conn := fmt.Sprintf("c%d-%d", cl.id, n)
		status, m := api.Call(http.MethodPost, "/v1/rooms/"+cl.room+"/meeting", map[string]any{"connection_id": conn})
		if status != http.StatusOK {
			Sleep(ctx, 200*time.Millisecond)
			continue
		}
		c.Joins.Add(1)
		mid, _ := m["id"].(string)
		pr, _ := m["room_name"].(string)
		Sleep(ctx, time.Duration(rng.IntN(1500))*time.Millisecond) // WebRTC handshake
		if !prov.RoomExists(pr) {
			c.Orphans.Add(1) // sent to, or about to connect in, a deleted provider room
			continue
		}
		sess := conn + "-s"
		prov.Join(pr, sess, "", "live")
		cl.setPresent(pr)
		base := "/v1/rooms/" + cl.room + "/meetings/" + mid
		if rng.IntN(10) > 0 { // one /joined in ten is lost
			api.Call(http.MethodPost, base+"/joined", map[string]any{"connection_id": conn, "session_id": sess})
		}
		Sleep(ctx, time.Duration(500+rng.IntN(3500))*time.Millisecond)
		prov.Leave(pr, sess)
		cl.setPresent("")
		if rng.IntN(10) > 0 { // one beacon in ten is lost
			api.Call(http.MethodPost, base+"/leave?delay_seconds=1", fmt.Sprintf(`{"connection_id":%q,"session_id":%q}`, conn, sess))
		}
		quick = rng.IntN(3) == 0
		if !quick { // often long enough for the room to empty and its meeting to end
			Sleep(ctx, time.Duration(2000+rng.IntN(8000))*time.Millisecond)
		}
	}
}

func (cl *client) setPresent(prov string) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if prov == "" {
		delete(cl.present, cl.id)
		return
	}
	cl.present[cl.id] = prov
}

// watch samples every room: connected clients in more than one provider room is a split, a
// connected client whose provider room was deleted is an orphan. Each distinct finding counts
// once.
func (cr *Crowd) watch(ctx context.Context, rooms map[string]*sync.Mutex, present map[string]map[int]string) {
	seen := map[string]bool{}
	for ctx.Err() == nil {
		for name, mu := range rooms {
			mu.Lock()
			provs := map[string]bool{}
			for id, p := range present[name] {
				provs[p] = true
				if key := fmt.Sprintf("orphan %d %s", id, p); !cr.Provider.RoomExists(p) && !seen[key] {
					seen[key] = true
					cr.C.Orphans.Add(1)
				}
			}
			if len(provs) > 1 {
				key := fmt.Sprintf("split %s %v", name, provs)
				if !seen[key] {
					seen[key] = true
					cr.C.Splits.Add(1)
				}
			}
			mu.Unlock()
		}
		Sleep(ctx, 50*time.Millisecond)
	}
}

// Sleep waits d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
