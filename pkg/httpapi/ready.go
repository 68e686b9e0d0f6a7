package httpapi

import (
	"context"

	"github.com/monadical/reflector-go/pkg/readiness"
)

// checkReady runs every readiness check concurrently, each bounded by readiness.Deadline
// (under a second, whatever a dependency does).
func (s *server) checkReady(ctx context.Context) (map[string]string, bool) {
	return readiness.All(ctx, s.d.Ready, s.d.Log)
}
