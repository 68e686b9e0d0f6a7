package calendar

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
)

// fetchReason turns a failed fetch into what the room's owner is shown (ics_last_error, the
// sync answer): what went wrong, in plain words. Resolver and peer addresses ("dial tcp
// 10.0.0.5:443", "lookup x on 127.0.0.53:53") describe our network, not the owner's feed, and
// stay in the worker's log. The feed server's answers and our own limits keep their text.
func fetchReason(err error) string {
	var status *StatusError
	var dns *net.DNSError
	switch {
	case errors.As(err, &status):
		return status.Error()
	case errors.Is(err, ErrBlockedAddress):
		return "the calendar host is on a private or reserved network, which is not allowed"
	case errors.Is(err, ErrFeedTooLarge), errors.Is(err, ErrUnsupportedScheme), errors.Is(err, ErrTooManyRedirects):
		return err.Error()
	case errors.As(err, &dns) && dns.IsNotFound:
		return "the calendar host name does not exist"
	case errors.As(err, &dns):
		return "could not look up the calendar host"
	case isTimeout(err):
		return "the calendar host did not answer in time"
	case isTLS(err):
		return "could not establish a secure connection to the calendar host"
	case isDial(err):
		return "could not connect to the calendar host"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.As(err, new(*net.OpError)):
		return "the connection to the calendar host failed"
	}
	return "could not fetch the calendar feed"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func isDial(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func isTLS(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		header   tls.RecordHeaderError
		alert    tls.AlertError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &header) || errors.As(err, &alert) ||
		errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid)
}
