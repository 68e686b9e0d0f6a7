// Package objstore is our S3 access: client construction with an endpoint override (for MinIO,
// gofakes3 or any S3-compatible store) and a streaming multipart upload whose memory does not
// grow with the object size.
package objstore

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Config says how to reach an S3-compatible store (and SQS, which shares region and credentials).
type Config struct {
	Region string
	// Endpoint overrides the AWS endpoint (e.g. http://127.0.0.1:9000); empty means AWS.
	Endpoint string
	// AccessKeyID and SecretAccessKey are static credentials; empty means the default chain
	// (environment, shared config, instance role).
	AccessKeyID     string
	SecretAccessKey string
	// UsePathStyle addresses buckets as http://host/bucket/key, which local fakes need.
	UsePathStyle bool
}

// AWSConfig builds the SDK configuration for cfg.
func AWSConfig(ctx context.Context, cfg Config) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{config.WithRegion(cfg.Region)}
	if cfg.AccessKeyID != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, "")))
	}
	ac, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("objstore.AWSConfig: %w", err)
	}
	if cfg.Endpoint != "" {
		ac.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	return ac, nil
}

// NewS3Client returns an S3 client for cfg.
func NewS3Client(ctx context.Context, cfg Config) (*s3.Client, error) {
	ac, err := AWSConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("objstore.NewS3Client: %w", err)
	}
	return s3.NewFromConfig(ac, func(o *s3.Options) {
		o.UsePathStyle = cfg.UsePathStyle
		// Checksums only where the API demands them: the upload path computes none itself and
		// S3-compatible stores differ in what they accept.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	}), nil
}

// NewSQSClient returns an SQS client for cfg (same region, credentials and endpoint override).
func NewSQSClient(ctx context.Context, cfg Config) (*sqs.Client, error) {
	ac, err := AWSConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("objstore.NewSQSClient: %w", err)
	}
	return sqs.NewFromConfig(ac), nil
}
