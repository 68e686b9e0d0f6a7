package platform

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Registry holds the configured provider clients by name. Build one in main; there is no
// package-level registry.
type Registry struct {
	clients map[string]Client
}

// NewRegistry registers clients under their Name(). A later client with the same name
// replaces an earlier one.
func NewRegistry(clients ...Client) *Registry {
	r := &Registry{clients: make(map[string]Client, len(clients))}
	for _, c := range clients {
		r.clients[c.Name()] = c
	}
	return r
}

// Get returns the client registered under name. An unknown name gives an error wrapping
// ErrUnknownPlatform that lists the registered names.
func (r *Registry) Get(name string) (Client, error) {
	if c, ok := r.clients[name]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("platform.Registry.Get %q (registered: %s): %w",
		name, strings.Join(r.Names(), ", "), ErrUnknownPlatform)
}

// Names returns the registered platform names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.clients))
	for n := range r.clients {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Policy chooses the platform of a room (settings DEFAULT_VIDEO_PLATFORM,
// DAILY_MIGRATION_ENABLED, DAILY_MIGRATION_ROOM_IDS of the seed spec).
type Policy struct {
	Default               string
	DailyMigrationEnabled bool
	DailyMigrationRoomIDs []string
}

// ForRoom returns the platform for a room. An existing room keeps its stored platform, so
// changing the policy never moves a room (or its meetings) to another provider. For a new
// room (storedPlatform == "") the seed spec's rules apply in order:
//  1. migration disabled → Whereby, whatever Default says;
//  2. roomID listed in DailyMigrationRoomIDs → Daily;
//  3. otherwise Default.
//
// Rule 1 means Default = "daily" takes effect only with DailyMigrationEnabled set.
func (p Policy) ForRoom(storedPlatform, roomID string) string {
	if storedPlatform != "" {
		return storedPlatform
	}
	if !p.DailyMigrationEnabled {
		return Whereby
	}
	if roomID != "" && slices.Contains(p.DailyMigrationRoomIDs, roomID) {
		return Daily
	}
	return p.Default
}

// ForMeeting returns the platform of a new meeting of a room, decided when the meeting is
// made so that changing the migration flags moves rooms without touching them: while
// DailyMigrationEnabled is set, a room listed in DailyMigrationRoomIDs gets Daily; any other
// room keeps its stored platform (the owner's choice, which stays stored either way, so
// unlisting a room moves its next meeting back). A room with no stored platform gets ForRoom's.
func (p Policy) ForMeeting(storedPlatform, roomID string) string {
	if p.DailyMigrationEnabled && roomID != "" && slices.Contains(p.DailyMigrationRoomIDs, roomID) {
		return Daily
	}
	return p.ForRoom(storedPlatform, roomID)
}
