package objstore_test

import (
	"testing"

	"github.com/monadical/reflector-go/pkg/internal/testkit"
)

func TestMain(m *testing.M) { testkit.VerifyNoLeaks(m) }
