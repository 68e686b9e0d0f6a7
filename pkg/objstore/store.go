package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"go.uber.org/zap"
)

// ErrNotFound is returned when an object does not exist.
var ErrNotFound = errors.New("objstore: object not found")

// Defaults for Options. Memory held by one upload is PartSize × (Concurrency + 1).
const (
	DefaultPartSize    = 6 << 20
	DefaultConcurrency = 3
	minPartSize        = 5 << 20 // S3's minimum for every part but the last
)

// Options tune a Store.
type Options struct {
	PartSize    int64 // bytes per multipart part; at least 5 MiB
	Concurrency int   // parts uploaded at once
	Logger      *zap.Logger
}

// Store reads and writes objects through an S3 client.
type Store struct {
	client      *s3.Client
	presign     *s3.PresignClient
	partSize    int64
	concurrency int
	log         *zap.Logger
	bufs        *bufferPool
}

// New returns a Store on client.
func New(client *s3.Client, opts Options) *Store {
	if opts.PartSize < minPartSize {
		opts.PartSize = DefaultPartSize
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	return &Store{
		client: client, presign: s3.NewPresignClient(client),
		partSize: opts.PartSize, concurrency: opts.Concurrency, log: opts.Logger,
		bufs: &bufferPool{size: opts.PartSize},
	}
}

// Open streams an object. The caller closes the reader.
func (s *Store) Open(ctx context.Context, bucket, key string) (io.ReadCloser, int64, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return nil, 0, fmt.Errorf("objstore.Open %s/%s: %w", bucket, key, mapErr(err))
	}
	return out.Body, aws.ToInt64(out.ContentLength), nil
}

// Size returns an object's size, or ErrNotFound.
func (s *Store) Size(ctx context.Context, bucket, key string) (int64, error) {
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return 0, fmt.Errorf("objstore.Size %s/%s: %w", bucket, key, mapErr(err))
	}
	return aws.ToInt64(out.ContentLength), nil
}

// Delete removes an object; a missing object is not an error.
func (s *Store) Delete(ctx context.Context, bucket, key string) error {
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: &key})
	if err != nil && !errors.Is(mapErr(err), ErrNotFound) {
		return fmt.Errorf("objstore.Delete %s/%s: %w", bucket, key, err)
	}
	return nil
}

// PresignGet returns a URL that reads the object for ttl, for tools such as ffprobe that
// fetch ranges themselves instead of reading the whole object.
func (s *Store) PresignGet(ctx context.Context, bucket, key string, ttl time.Duration) (string, error) {
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("objstore.PresignGet %s/%s: %w", bucket, key, err)
	}
	return req.URL, nil
}

// List calls fn for every key under prefix, in key order.
func (s *Store) List(ctx context.Context, bucket, prefix string, fn func(key string) error) error {
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("objstore.List %s/%s: %w", bucket, prefix, mapErr(err))
		}
		for _, o := range page.Contents {
			if err := fn(aws.ToString(o.Key)); err != nil {
				return err
			}
		}
	}
	return nil
}

// mapErr turns S3's not-found answers into ErrNotFound, keeping the original in the chain.
func mapErr(err error) error {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "NoSuchKey" || ae.ErrorCode() == "NotFound") {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}
