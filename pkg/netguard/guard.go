// Package netguard refuses connections to addresses a user-supplied URL must not reach (the
// host itself, private networks, link-local cloud metadata and other special ranges). It
// checks the resolved address at dial time, so a name that resolves, or re-resolves, to a
// private address is refused too. Calendar feeds and outgoing room webhooks use it.
package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// ErrBlocked: the URL resolves to an address that is not public.
var ErrBlocked = errors.New("address not allowed")

// Guard holds the blocked special ranges (private, loopback and link-local are checked by
// netip itself).
type Guard struct {
	blocked []netip.Prefix
}

// New returns the guard.
func New() Guard {
	special := []string{
		"0.0.0.0/8",       // "this" network
		"100.64.0.0/10",   // carrier-grade NAT
		"192.0.0.0/24",    // IETF protocol assignments
		"198.18.0.0/15",   // benchmarking
		"240.0.0.0/4",     // reserved, broadcast
		"64:ff9b::/96",    // NAT64: would reach any IPv4, private included
		"64:ff9b:1::/48",  // local-use NAT64
		"2002::/16",       // 6to4: embeds an IPv4
		"100::/64",        // discard
		"2001:db8::/32",   // documentation
		"fec0::/10",       // deprecated site-local
		"2001::/32",       // Teredo
		"192.88.99.0/24",  // 6to4 relay
		"198.51.100.0/24", // documentation
		"203.0.113.0/24",  // documentation
		"192.0.2.0/24",    // documentation
	}
	g := Guard{blocked: make([]netip.Prefix, 0, len(special))}
	for _, s := range special {
		g.blocked = append(g.blocked, netip.MustParsePrefix(s))
	}
	return g
}

// Allowed reports whether ip is a public unicast address.
func (g Guard) Allowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() ||
		ip.IsLinkLocalUnicast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range g.blocked {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// Control is a net.Dialer Control func: it sees the resolved address just before connect.
func (g Guard) Control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrBlocked, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !g.Allowed(ip) {
		return fmt.Errorf("%w: %s", ErrBlocked, host)
	}
	return nil
}

// Dialer is a dialer that refuses non-public addresses, unless allowPrivate (tests, local
// development).
func Dialer(allowPrivate bool) *net.Dialer {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = New().Control
	}
	return d
}
