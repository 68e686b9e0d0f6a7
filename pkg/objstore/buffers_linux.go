//go:build linux

package objstore

import "syscall"

// allocBuffer maps anonymous memory; it falls back to the heap if the mapping fails.
func allocBuffer(size int) []byte {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, size)
	}
	return b
}

// releaseBuffer drops the buffer's pages: the resident set shrinks and the next use of the
// buffer reads zeros. On a heap buffer it does nothing harmful (the call fails).
func releaseBuffer(b []byte) { _ = syscall.Madvise(b, syscall.MADV_DONTNEED) }
