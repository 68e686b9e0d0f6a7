package recording

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"go.uber.org/zap"
)

// SQSAPI is the part of the SQS client the poller uses (*sqs.Client implements it).
type SQSAPI interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, opts ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, opts ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
}

// PollerConfig configures a Poller. SQS, QueueURL, Enqueuer and Logger are required.
type PollerConfig struct {
	SQS         SQSAPI
	QueueURL    string
	Enqueuer    Enqueuer
	Logger      *zap.Logger
	MaxMessages int32 // per receive, 1..10 (default 10)
	WaitSeconds int32 // long-poll wait (default 20)
}

// Poller drains the S3 ObjectCreated notifications of the Whereby bucket.
type Poller struct {
	cfg PollerConfig
}

// NewPoller checks cfg and returns a Poller.
func NewPoller(cfg PollerConfig) (*Poller, error) {
	if cfg.SQS == nil || cfg.QueueURL == "" || cfg.Enqueuer == nil || cfg.Logger == nil {
		return nil, errors.New("recording.NewPoller: SQS, QueueURL, Enqueuer and Logger are required")
	}
	if cfg.MaxMessages <= 0 || cfg.MaxMessages > 10 {
		cfg.MaxMessages = 10
	}
	if cfg.WaitSeconds <= 0 {
		cfg.WaitSeconds = 20
	}
	return &Poller{cfg: cfg}, nil
}

// PollResult counts what one poll did.
type PollResult struct {
	Received, Enqueued, Deleted, Kept int
}

// PollOnce long-polls the queue once, enqueues one task per created object and deletes each
// message only after all its tasks are enqueued. A message whose enqueue failed is kept: it
// comes back after its visibility timeout. An unparseable message is deleted and logged,
// since redelivering it cannot help (S3's test event is deleted quietly).
func (p *Poller) PollOnce(ctx context.Context) (PollResult, error) {
	out, err := p.cfg.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: &p.cfg.QueueURL, MaxNumberOfMessages: p.cfg.MaxMessages, WaitTimeSeconds: p.cfg.WaitSeconds,
	})
	if err != nil {
		return PollResult{}, fmt.Errorf("recording.PollOnce: receive: %w", err)
	}
	res := PollResult{Received: len(out.Messages)}
	var errs []error
	for _, m := range out.Messages {
		n, err := p.handle(ctx, m)
		res.Enqueued += n
		if err != nil {
			res.Kept++
			errs = append(errs, err)
			continue
		}
		res.Deleted++
	}
	if err := errors.Join(errs...); err != nil {
		return res, fmt.Errorf("recording.PollOnce: %w", err)
	}
	return res, nil
}

// handle enqueues a message's objects, then deletes it.
func (p *Poller) handle(ctx context.Context, m types.Message) (int, error) {
	objs, err := ParseS3Event(aws.ToString(m.Body))
	if err != nil {
		p.cfg.Logger.Error("dropping unparseable SQS message", zap.String("message_id", aws.ToString(m.MessageId)),
			zap.Error(err))
	}
	for i, o := range objs {
		if err := p.cfg.Enqueuer.EnqueueProcessS3(ctx, o.Bucket, o.Key); err != nil {
			return i, fmt.Errorf("message %s: enqueue %s/%s: %w", aws.ToString(m.MessageId), o.Bucket, o.Key, err)
		}
	}
	_, err = p.cfg.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &p.cfg.QueueURL, ReceiptHandle: m.ReceiptHandle})
	if err != nil {
		return len(objs), fmt.Errorf("message %s: delete: %w", aws.ToString(m.MessageId), err)
	}
	return len(objs), nil
}

// S3Object is one object an S3 notification announces.
type S3Object struct {
	Bucket, Key string
}

// ParseS3Event returns the created objects of an S3 event notification, with keys decoded as
// S3 encodes them (form encoding: "+" is a space). Other events and S3's test event yield
// none.
func ParseS3Event(body string) ([]S3Object, error) {
	var ev struct {
		Event   string `json:"Event"` // "s3:TestEvent"
		Records []struct {
			EventName string `json:"eventName"`
			S3        struct {
				Bucket struct{ Name string } `json:"bucket"`
				Object struct{ Key string }  `json:"object"`
			} `json:"s3"`
		} `json:"Records"`
	}
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		return nil, fmt.Errorf("s3 event: %w", err)
	}
	var objs []S3Object
	for _, r := range ev.Records {
		if !strings.HasPrefix(r.EventName, "ObjectCreated") {
			continue
		}
		key, err := url.QueryUnescape(r.S3.Object.Key)
		if err != nil {
			return nil, fmt.Errorf("s3 event key %q: %w", r.S3.Object.Key, err)
		}
		objs = append(objs, S3Object{Bucket: r.S3.Bucket.Name, Key: key})
	}
	return objs, nil
}
