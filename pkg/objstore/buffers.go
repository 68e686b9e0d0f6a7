package objstore

import "sync"

// bufferPool hands out part buffers kept outside the Go heap (see buffers_linux.go). The Go
// collector lets the heap grow to twice its live size before it runs; with tens of megabytes
// of part buffers on the heap, that headroom alone would double the process's footprint
// during a long upload. Off-heap buffers leave the collector a small heap to pace.
//
// Buffers are never unmapped: net/http may still be writing a request body from a buffer
// after UploadPart returns (RoundTrip closes bodies asynchronously), so an unmapped buffer
// could fault. A released buffer gives its pages back to the kernel instead and is reused.
type bufferPool struct {
	size int64
	mu   sync.Mutex
	free [][]byte
}

func (p *bufferPool) get() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		return b[:cap(b)]
	}
	return allocBuffer(int(p.size))
}

// put returns buffers to the pool and their memory to the kernel.
func (p *bufferPool) put(bufs ...[]byte) {
	for _, b := range bufs {
		releaseBuffer(b[:cap(b)])
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, bufs...)
}
