package objstoretest

import (
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// DiscardBackend is gofakes3's memory backend, except that multipart uploads are counted and
// thrown away: a completed multipart object is stored empty, with its real size recorded.
// gofakes3's own multipart code keeps every part in memory and concatenates them on
// completion, which rules it out for measuring a 2 GB upload.
type DiscardBackend struct {
	*s3mem.Backend

	mu      sync.Mutex
	next    int
	uploads map[gofakes3.UploadID]map[int]int64 // upload → part number → size
	sizes   map[string]int64                    // bucket/key → completed size
}

var _ gofakes3.MultipartBackend = (*DiscardBackend)(nil)

// NewDiscardBackend returns an empty DiscardBackend.
func NewDiscardBackend() *DiscardBackend {
	return &DiscardBackend{
		Backend: s3mem.New(),
		uploads: map[gofakes3.UploadID]map[int]int64{}, sizes: map[string]int64{},
	}
}

// CompletedSize returns the size of a completed multipart object and whether it exists.
func (d *DiscardBackend) CompletedSize(bucket, key string) (int64, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n, ok := d.sizes[bucket+"/"+key]
	return n, ok
}

// CreateMultipartUpload implements gofakes3.MultipartBackend.
func (d *DiscardBackend) CreateMultipartUpload(bucket, object string, meta map[string]string) (gofakes3.UploadID, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.next++
	id := gofakes3.UploadID(strconv.Itoa(d.next))
	d.uploads[id] = map[int]int64{}
	return id, nil
}

// UploadPart implements gofakes3.MultipartBackend by reading and discarding the body.
func (d *DiscardBackend) UploadPart(bucket, object string, id gofakes3.UploadID, partNumber int, contentLength int64, input io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, input)
	if err != nil {
		return "", err
	}
	if n != contentLength {
		return "", gofakes3.ErrIncompleteBody
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	parts, ok := d.uploads[id]
	if !ok {
		return "", gofakes3.ErrNoSuchUpload
	}
	parts[partNumber] = n
	return fmt.Sprintf(`"%d-%d"`, partNumber, n), nil
}

// ListMultipartUploads implements gofakes3.MultipartBackend (always empty).
func (d *DiscardBackend) ListMultipartUploads(bucket string, marker *gofakes3.UploadListMarker, prefix gofakes3.Prefix, limit int64) (*gofakes3.ListMultipartUploadsResult, error) {
	return &gofakes3.ListMultipartUploadsResult{Bucket: bucket}, nil
}

// ListParts implements gofakes3.MultipartBackend (always empty).
func (d *DiscardBackend) ListParts(bucket, object string, uploadID gofakes3.UploadID, marker int, limit int64) (*gofakes3.ListMultipartUploadPartsResult, error) {
	return &gofakes3.ListMultipartUploadPartsResult{Bucket: bucket, Key: object, UploadID: uploadID}, nil
}

// AbortMultipartUpload implements gofakes3.MultipartBackend.
func (d *DiscardBackend) AbortMultipartUpload(bucket, object string, id gofakes3.UploadID) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.uploads[id]; !ok {
		return gofakes3.ErrNoSuchUpload
	}
	delete(d.uploads, id)
	return nil
}

// CompleteMultipartUpload implements gofakes3.MultipartBackend.
func (d *DiscardBackend) CompleteMultipartUpload(bucket, object string, id gofakes3.UploadID, input *gofakes3.CompleteMultipartUploadRequest) (gofakes3.VersionID, string, error) {
	d.mu.Lock()
	parts, ok := d.uploads[id]
	delete(d.uploads, id)
	var size int64
	for _, p := range input.Parts {
		size += parts[p.PartNumber]
	}
	d.sizes[bucket+"/"+object] = size
	d.mu.Unlock()
	if !ok {
		return "", "", gofakes3.ErrNoSuchUpload
	}
	res, err := d.PutObject(bucket, object, map[string]string{}, eofReader{}, 0, nil)
	if err != nil {
		return "", "", err
	}
	return res.VersionID, fmt.Sprintf(`"discarded-%d"`, len(input.Parts)), nil
}

// Pending returns the number of multipart uploads neither completed nor aborted.
func (d *DiscardBackend) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.uploads)
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
