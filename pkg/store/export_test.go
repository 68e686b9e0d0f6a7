package store

import "context"

// TakeJoinTurn holds one of the join handout's turns at the pool, for tests.
func (s MeetingStore) TakeJoinTurn(ctx context.Context) (func(), error) { return s.joins.wait(ctx) }
