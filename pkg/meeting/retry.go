package meeting

import (
	"context"
	"errors"

	"go.uber.org/zap"
)

// txAttempts bounds how often a transaction Postgres aborted (ErrConflict) is run: the
// conflict is another request's, and it rarely lasts; one that does is answered 503.
const txAttempts = 3

// inTxRetry runs fn in a transaction, again when Postgres aborted it to break a deadlock or a
// serialization conflict. fn must be safe to run again: an aborted attempt wrote nothing, and
// fn resets whatever it hands out of the closure.
func (s *Service) inTxRetry(ctx context.Context, fn func(tx Store) error) error {
	var err error
	for range txAttempts {
		if err = s.cfg.Store.InTx(ctx, fn); !errors.Is(err, ErrConflict) {
			return err
		}
		s.cfg.Log.Warn("transaction aborted by a conflict, running it again", zap.Error(err))
	}
	return err
}
