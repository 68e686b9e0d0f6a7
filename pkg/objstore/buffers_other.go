//go:build !linux

package objstore

func allocBuffer(size int) []byte { return make([]byte, size) }

func releaseBuffer([]byte) {}
