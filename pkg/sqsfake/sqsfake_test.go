package sqsfake_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/objstore"
	"github.com/monadical/reflector-go/pkg/sqsfake"
)

func TestServerWithSDK(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		fake   *sqsfake.Server
		client *sqs.Client
		url    string
		ctx    context.Context
	}
	setup := func(t *testing.T) testBundle {
		t.Helper()
		fake, ts := sqsfake.NewServer()
		t.Cleanup(ts.Close)
		ctx := context.Background()
		client, err := objstore.NewSQSClient(ctx, objstore.Config{
			Region: "us-east-1", Endpoint: ts.URL, AccessKeyID: "k", SecretAccessKey: "s",
		})
		require.NoError(t, err)
		out, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("q")})
		require.NoError(t, err)
		return testBundle{fake: fake, client: client, url: *out.QueueUrl, ctx: ctx}
	}

	t.Run("SendReceiveDeleteWithValidDigests", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.client.SendMessage(b.ctx, &sqs.SendMessageInput{QueueUrl: &b.url, MessageBody: aws.String("héllo")})
		require.NoError(t, err)
		out, err := b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.url, MaxNumberOfMessages: 10})
		require.NoError(t, err)
		require.Len(t, out.Messages, 1)
		require.Equal(t, "héllo", *out.Messages[0].Body)
		_, err = b.client.DeleteMessage(b.ctx, &sqs.DeleteMessageInput{QueueUrl: &b.url, ReceiptHandle: out.Messages[0].ReceiptHandle})
		require.NoError(t, err)
		require.Zero(t, b.fake.Len(b.url))
	})

	t.Run("LongPollWakesOnSend", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		go func() {
			time.Sleep(100 * time.Millisecond)
			_, _ = b.fake.Send(b.url, "late")
		}()
		start := time.Now()
		out, err := b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.url, WaitTimeSeconds: 5})
		require.NoError(t, err)
		require.Len(t, out.Messages, 1)
		require.Less(t, time.Since(start), 4*time.Second)
	})

	t.Run("InFlightMessageIsHiddenUntilVisibilityExpires", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.fake.Send(b.url, "m")
		require.NoError(t, err)
		out, err := b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.url})
		require.NoError(t, err)
		require.Len(t, out.Messages, 1)
		again, err := b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.url})
		require.NoError(t, err)
		require.Empty(t, again.Messages)
		b.fake.ExpireVisibility(b.url)
		again, err = b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.url})
		require.NoError(t, err)
		require.Len(t, again.Messages, 1)
		require.Equal(t, "2", again.Messages[0].Attributes["ApproximateReceiveCount"])
	})

	t.Run("BatchDeleteReportsStaleHandles", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.fake.Send(b.url, "m")
		require.NoError(t, err)
		out, err := b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.url})
		require.NoError(t, err)
		del, err := b.client.DeleteMessageBatch(b.ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &b.url,
			Entries: []types.DeleteMessageBatchRequestEntry{
				{Id: aws.String("a"), ReceiptHandle: out.Messages[0].ReceiptHandle},
				{Id: aws.String("b"), ReceiptHandle: aws.String("bogus")},
			}})
		require.NoError(t, err)
		require.Len(t, del.Successful, 1)
		require.Len(t, del.Failed, 1)
	})

	t.Run("UnknownQueueIsTyped", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(b.url + "x")})
		var qne *types.QueueDoesNotExist
		require.ErrorAs(t, err, &qne)
	})

	t.Run("InjectedFaultsFail", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.fake.FailNext("ReceiveMessage", 1)
		_, err := b.client.ReceiveMessage(b.ctx, &sqs.ReceiveMessageInput{QueueUrl: &b.url},
			func(o *sqs.Options) { o.RetryMaxAttempts = 1 })
		require.Error(t, err)
	})
}
