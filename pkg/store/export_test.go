package store

import "context"

// TakeJoinTurn holds one of the join handout's turns at the pool, for tests.
func (s MeetingStore) TakeJoinTurn(ctx context.Context) (func(), error) {
	return s.batches.turns.wait(ctx)
}

// QueuedJoins is the number of join handouts of roomName waiting for a batch, for tests.
func (s MeetingStore) QueuedJoins(roomName string) int {
	s.batches.mu.Lock()
	defer s.batches.mu.Unlock()
	return len(s.batches.rooms[roomName])
}
