package sqsfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ServeHTTP dispatches on the X-Amz-Target header.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonSQS.")
	if s.injectFault(op) {
		writeError(w, &apiError{http.StatusInternalServerError, "InternalError", "injected fault"})
		return
	}
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, &apiError{http.StatusBadRequest, "InvalidParameterValue", err.Error()})
		return
	}
	out, aerr := s.dispatch(r.Context(), op, in)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) injectFault(op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[op]++
	if s.faults[op] > 0 {
		s.faults[op]--
		return true
	}
	return false
}

func (s *Server) dispatch(ctx context.Context, op string, in map[string]any) (any, *apiError) {
	switch op {
	case "CreateQueue":
		return s.opCreateQueue(in)
	case "GetQueueUrl":
		return s.opGetQueueURL(in)
	case "SendMessage":
		return s.opSendMessage(in)
	case "ReceiveMessage":
		return s.opReceiveMessage(ctx, in)
	case "DeleteMessage":
		return s.opDeleteMessage(in)
	case "DeleteMessageBatch":
		return s.opDeleteMessageBatch(in)
	default:
		return nil, &apiError{http.StatusBadRequest, "InvalidAction", "unsupported action " + op}
	}
}

func str(in map[string]any, k string) string { v, _ := in[k].(string); return v }

func num(in map[string]any, k string, def int) int {
	if v, ok := in[k].(float64); ok {
		return int(v)
	}
	return def
}

func (s *Server) opCreateQueue(in map[string]any) (any, *apiError) {
	vis := 30
	if attrs, ok := in["Attributes"].(map[string]any); ok {
		if v, ok := attrs["VisibilityTimeout"].(string); ok {
			_, _ = fmt.Sscan(v, &vis)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]string{"QueueUrl": s.createQueueLocked(str(in, "QueueName"), time.Duration(vis)*time.Second)}, nil
}

func (s *Server) opGetQueueURL(in map[string]any) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for url, q := range s.queues {
		if q.name == str(in, "QueueName") {
			return map[string]string{"QueueUrl": url}, nil
		}
	}
	return nil, errNoQueue
}

var errNoQueue = &apiError{http.StatusBadRequest, "QueueDoesNotExist", "The specified queue does not exist."}

func (s *Server) opSendMessage(in map[string]any) (any, *apiError) {
	body := str(in, "MessageBody")
	id, err := s.Send(str(in, "QueueUrl"), body)
	if err != nil {
		return nil, errNoQueue
	}
	return map[string]string{"MessageId": id, "MD5OfMessageBody": md5Hex(body)}, nil
}

// opReceiveMessage long-polls up to WaitTimeSeconds for visible messages.
func (s *Server) opReceiveMessage(ctx context.Context, in map[string]any) (any, *apiError) {
	url := str(in, "QueueUrl")
	max := min(max(num(in, "MaxNumberOfMessages", 1), 1), 10)
	deadline := time.NewTimer(time.Duration(num(in, "WaitTimeSeconds", 0)) * time.Second)
	defer deadline.Stop()
	for {
		msgs, wake, aerr := s.take(url, max, num(in, "VisibilityTimeout", -1))
		if aerr != nil || len(msgs) > 0 {
			return map[string]any{"Messages": msgs}, aerr
		}
		select {
		case <-wake:
		case <-time.After(50 * time.Millisecond): // visibility timeouts expire without a send
		case <-deadline.C:
			return map[string]any{"Messages": []any{}}, nil
		case <-ctx.Done():
			return map[string]any{"Messages": []any{}}, nil
		}
	}
}

// wireMessage is a received message as the JSON protocol returns it.
type wireMessage struct {
	MessageID     string            `json:"MessageId"`
	ReceiptHandle string            `json:"ReceiptHandle"`
	MD5OfBody     string            `json:"MD5OfBody"`
	Body          string            `json:"Body"`
	Attributes    map[string]string `json:"Attributes"`
}

// take marks up to max visible messages in flight and returns them, or the channel that is
// closed on the next send.
func (s *Server) take(url string, max, visibility int) ([]wireMessage, chan struct{}, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queues[url]
	if !ok {
		return nil, nil, errNoQueue
	}
	vis := q.visibility
	if visibility >= 0 {
		vis = time.Duration(visibility) * time.Second
	}
	now := s.now()
	var out []wireMessage
	for _, m := range q.msgs {
		if len(out) == max || m.visibleAt.After(now) {
			continue
		}
		s.seq++
		m.receipt = fmt.Sprintf("rh-%s-%d", m.id, s.seq)
		m.visibleAt = now.Add(vis)
		m.receives++
		out = append(out, wireMessage{
			MessageID: m.id, ReceiptHandle: m.receipt, MD5OfBody: md5Hex(m.body), Body: m.body,
			Attributes: map[string]string{"ApproximateReceiveCount": fmt.Sprint(m.receives)},
		})
	}
	return out, s.wake, nil
}

func (s *Server) opDeleteMessage(in map[string]any) (any, *apiError) {
	if aerr := s.delete(str(in, "QueueUrl"), str(in, "ReceiptHandle")); aerr != nil {
		return nil, aerr
	}
	return map[string]any{}, nil
}

func (s *Server) opDeleteMessageBatch(in map[string]any) (any, *apiError) {
	entries, _ := in["Entries"].([]any)
	ok, failed := []map[string]string{}, []map[string]any{}
	for _, e := range entries {
		em, _ := e.(map[string]any)
		if aerr := s.delete(str(in, "QueueUrl"), str(em, "ReceiptHandle")); aerr != nil {
			failed = append(failed, map[string]any{"Id": str(em, "Id"), "Code": aerr.code, "Message": aerr.msg, "SenderFault": true})
			continue
		}
		ok = append(ok, map[string]string{"Id": str(em, "Id")})
	}
	return map[string]any{"Successful": ok, "Failed": failed}, nil
}

// delete removes the message holding the receipt handle.
func (s *Server) delete(url, receipt string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queues[url]
	if !ok {
		return errNoQueue
	}
	for i, m := range q.msgs {
		if m.receipt == receipt && receipt != "" {
			q.msgs = append(q.msgs[:i], q.msgs[i+1:]...)
			return nil
		}
	}
	return &apiError{http.StatusBadRequest, "ReceiptHandleIsInvalid", "The input receipt handle is invalid."}
}
