package calendar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFetchReasonHidesOurNetwork: the reason an owner is shown names what went wrong, never a
// resolver or peer address, nor the transport's wording.
func TestFetchReasonHidesOurNetwork(t *testing.T) {
	t.Parallel()
	peer := &net.TCPAddr{IP: net.ParseIP("10.0.0.5"), Port: 443}
	wrap := func(err error) error { return fmt.Errorf("fetch feed: %w", err) }
	for _, tc := range []struct {
		err  error
		want string
	}{
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: peer, Err: errors.New("connect: connection refused")}),
			"could not connect to the calendar host"},
		{wrap(&net.DNSError{Err: "no such host", Name: "cal.example", Server: "127.0.0.53:53", IsNotFound: true}),
			"the calendar host name does not exist"},
		{wrap(&net.DNSError{Err: "server misbehaving", Name: "cal.example", Server: "127.0.0.53:53"}),
			"could not look up the calendar host"},
		{wrap(&net.OpError{Op: "read", Net: "tcp", Addr: peer, Err: errors.New("connection reset by peer")}),
			"the connection to the calendar host failed"},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: peer, Err: &timeoutErr{}}), "the calendar host did not answer in time"},
		{wrap(context.DeadlineExceeded), "the calendar host did not answer in time"},
		{wrap(io.ErrUnexpectedEOF), "the connection to the calendar host failed"},
		{wrap(fmt.Errorf("%w: 10.0.0.5 is a private address", ErrBlockedAddress)),
			"the calendar host is on a private or reserved network, which is not allowed"},
		{wrap(&StatusError{Code: 404}), "feed server answered 404 Not Found"},
		{wrap(errors.New("tcp 10.0.0.5:443: something new")), "could not fetch the calendar feed"},
	} {
		got := fetchReason(tc.err)
		require.Equal(t, tc.want, got, tc.err.Error())
		for _, detail := range []string{"10.0.0.5", "127.0.0.53", ":53", "dial", "lookup", "tcp"} {
			require.NotContains(t, got, detail)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
