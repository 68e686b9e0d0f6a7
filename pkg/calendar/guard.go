package calendar

import (
	"fmt"
	"net/netip"
	"syscall"

	"github.com/monadical/reflector-go/pkg/netguard"
)

// addrGuard is netguard's dial-time check, failing with ErrBlockedAddress.
type addrGuard struct{ g netguard.Guard }

func newAddrGuard() addrGuard { return addrGuard{netguard.New()} }

func (a addrGuard) allowed(ip netip.Addr) bool { return a.g.Allowed(ip) }

func (a addrGuard) control(network, address string, c syscall.RawConn) error {
	if err := a.g.Control(network, address, c); err != nil {
		return fmt.Errorf("%w: %w", ErrBlockedAddress, err)
	}
	return nil
}
