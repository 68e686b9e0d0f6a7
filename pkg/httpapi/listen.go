package httpapi

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ServerLimits are the connection-level bounds of the API server.
type ServerLimits struct {
	ReadHeaderTimeout time.Duration
	// ReadTimeout is the per-request deadline of the whole request, body included: a client
	// trickling its body is cut there (its handler sees a timeout and answers 408).
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// MaxConns caps open connections; the ones beyond are answered 503 {"detail"} with
	// Retry-After and closed, long before the process runs out of file descriptors.
	MaxConns int
}

// NewServer returns the API's http.Server with every timeout set. Serve it on Listen's
// listener so the connection cap applies.
func NewServer(addr string, h http.Handler, l ServerLimits) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout,
		// Above headerLimit's bound, so oversized headers get a {"detail"} 431 from us.
		MaxHeaderBytes: 1 << 20}
}

// Listen wraps ln so that at most max connections are open at once; a connection beyond the
// cap is shed with a 503.
func Listen(ln net.Listener, max int) net.Listener {
	return &capListener{Listener: ln, max: int64(max)}
}

type capListener struct {
	net.Listener
	max  int64
	open atomic.Int64
}

// shedResponse is written to connections beyond the cap, without reading their request.
const shedResponse = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n" +
	"Connection: close\r\nContent-Length: 47\r\n\r\n{\"detail\":\"Server busy, please retry shortly\"}\n"

func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.open.Add(1) > l.max {
			l.open.Add(-1)
			go shed(c)
			continue
		}
		return &countedConn{Conn: c, release: func() { l.open.Add(-1) }}, nil
	}
}

// shed answers 503 and closes; the write deadline keeps a peer that never reads from
// holding the goroutine.
func shed(c net.Conn) {
	_ = c.SetWriteDeadline(time.Now().Add(2 * time.Second))
	_, _ = c.Write([]byte(shedResponse))
	_ = c.Close()
}

type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
