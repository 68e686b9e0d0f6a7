// Package objstoretest runs an in-process S3 (gofakes3) for tests and benchmarks, and a
// backend that discards multipart bodies so multi-gigabyte uploads can be measured without
// the fake itself holding them in memory.
package objstoretest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/objstore"
)

// Fake is a running S3 fake with a client and a Store pointed at it.
type Fake struct {
	Server *httptest.Server
	Config objstore.Config
	Client *s3.Client
	Store  *objstore.Store
}

// Options tune New. Nil Backend means gofakes3's in-memory backend.
type Options struct {
	Backend gofakes3.Backend
	Buckets []string
	Store   objstore.Options
}

// Start runs the fake with the given buckets created; the caller closes the server.
func Start(backend gofakes3.Backend, buckets ...string) (*httptest.Server, error) {
	if backend == nil {
		backend = s3mem.New()
	}
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			return nil, err
		}
	}
	return httptest.NewServer(gofakes3.New(backend, gofakes3.WithIntegrityCheck(false)).Server()), nil
}

// ClientConfig is the objstore.Config that reaches a fake at url.
func ClientConfig(url string) objstore.Config {
	return objstore.Config{
		Region: "us-east-1", Endpoint: url, AccessKeyID: "test", SecretAccessKey: "test",
		UsePathStyle: true,
	}
}

// New starts a fake for the test's lifetime.
func New(t testing.TB, opts Options) *Fake {
	t.Helper()
	srv, err := Start(opts.Backend, opts.Buckets...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	cfg := ClientConfig(srv.URL)
	client, err := objstore.NewS3Client(context.Background(), cfg)
	require.NoError(t, err)
	return &Fake{Server: srv, Config: cfg, Client: client, Store: objstore.New(client, opts.Store)}
}
