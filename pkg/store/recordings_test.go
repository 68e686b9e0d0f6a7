package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

func TestRecordingStore(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		ctx context.Context
		s   store.RecordingStore
		now time.Time
	}
	setup := func(t *testing.T) testBundle {
		t.Helper()
		return testBundle{ctx: context.Background(), s: store.NewRecordingStore(storetest.NewDB(t)),
			now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	}
	newRec := func(b testBundle, provider, key string) recording.Recording {
		return recording.Recording{ID: uuid.New(), Platform: "daily", ProviderRecordingID: provider,
			Kind: recording.KindRawTracks, Bucket: "b", ObjectKey: key, RecordedAt: b.now,
			Status: recording.StatusPending, TrackKeys: recording.Strings{"k1", "k2"}, CreatedAt: b.now}
	}

	t.Run("InsertReturnsExistingOnEitherKey", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		first, created, err := b.s.RecordingInsert(b.ctx, newRec(b, "p1", "key1"))
		require.NoError(t, err)
		require.True(t, created)
		require.Equal(t, recording.Strings{"k1", "k2"}, first.TrackKeys)
		require.Nil(t, first.MeetingID)

		again, created, err := b.s.RecordingInsert(b.ctx, newRec(b, "p1", "other-key"))
		require.NoError(t, err)
		require.False(t, created)
		require.Equal(t, first.ID, again.ID)

		again, created, err = b.s.RecordingInsert(b.ctx, newRec(b, "", "key1"))
		require.NoError(t, err)
		require.False(t, created)
		require.Equal(t, first.ID, again.ID)
	})

	t.Run("SetStatusIsCompareAndSet", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r, _, err := b.s.RecordingInsert(b.ctx, newRec(b, "p", "k"))
		require.NoError(t, err)
		require.NoError(t, b.s.RecordingSetStatus(b.ctx, r.ID, recording.StatusChange{From: "pending", To: "downloading", At: b.now}))
		err = b.s.RecordingSetStatus(b.ctx, r.ID, recording.StatusChange{From: "pending", To: "downloading", At: b.now})
		require.ErrorIs(t, err, recording.ErrStatusConflict)
		require.NoError(t, b.s.RecordingSetStatus(b.ctx, r.ID, recording.StatusChange{From: "downloading", To: "failed",
			At: b.now.Add(time.Minute), Error: "boom", SizeBytes: 5 << 30}))
		got, err := b.s.RecordingByID(b.ctx, r.ID)
		require.NoError(t, err)
		require.Equal(t, recording.StatusFailed, got.Status)
		require.Equal(t, 1, got.Attempts)
		require.Equal(t, "boom", got.LastError)
		require.Equal(t, int64(5<<30), got.SizeBytes)
		require.True(t, got.FailedAt.Equal(b.now.Add(time.Minute)))
		err = b.s.RecordingSetStatus(b.ctx, uuid.New(), recording.StatusChange{From: "pending", To: "stored", At: b.now})
		require.ErrorIs(t, err, recording.ErrNotFound)
	})

	t.Run("InTxRollsBackAndRefusesNesting", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rec := newRec(b, "p", "k")
		boom := errors.New("boom")
		err := b.s.InTx(b.ctx, func(tx recording.Store) error {
			if _, _, err := tx.RecordingInsert(b.ctx, rec); err != nil {
				return err
			}
			require.ErrorIs(t, tx.InTx(b.ctx, func(recording.Store) error { return nil }), store.ErrNestedTx)
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = b.s.RecordingByID(b.ctx, rec.ID)
		require.ErrorIs(t, err, recording.ErrNotFound)
	})

	t.Run("PollCursorRoundTrips", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		v, err := b.s.PollCursorGet(b.ctx, "x")
		require.NoError(t, err)
		require.Empty(t, v)
		require.NoError(t, b.s.PollCursorSet(b.ctx, "x", "1", b.now))
		require.NoError(t, b.s.PollCursorSet(b.ctx, "x", "2", b.now))
		v, err = b.s.PollCursorGet(b.ctx, "x")
		require.NoError(t, err)
		require.Equal(t, "2", v)
	})
}
