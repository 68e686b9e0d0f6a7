package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/meeting"
)

// TestTimelineEndedByOwnerOrOperator completes "a timeline test per end reason" (issue 12
// item 3): with TestTimelineEndedAtEndDate, TestTimelineGracePeriodExpired and
// TestTimelineExpiredOnJoin, every meeting.EndReason has one. The owner's End meeting and an
// operator's `meetings end` are forced ends, and the timeline names who ended it.
func TestTimelineEndedByOwnerOrOperator(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		reason meeting.EndReason
		actor  string
		end    func(t *testing.T, a *apptest.App, id string)
	}{
		{meeting.ReasonOwnerEnded, "owner", func(t *testing.T, a *apptest.App, id string) {
			require.Equal(t, http.StatusOK, a.Do(t, http.MethodPatch, "/v1/meetings/"+id+"/deactivate", nil).Status)
		}},
		{meeting.ReasonOperatorEnded, "operator", func(t *testing.T, a *apptest.App, id string) {
			_, ended, err := a.Meetings.EndByOperator(context.Background(), uuid.MustParse(id))
			require.NoError(t, err)
			require.True(t, ended)
		}},
	} {
		t.Run(string(tc.reason), func(t *testing.T) {
			t.Parallel()
			a := apptest.New(t, apptest.Options{})
			a.CreateRoom(t, "tl-end")
			id, _ := meetingOf(t, a, "tl-end")
			tc.end(t, a, id)

			b := timeline(t, a, id)
			require.Equal(t, []string{"created", "provider_room_created", "handout", "ended"}, kinds(b))
			ended := b.Events[3]
			require.Equal(t, tc.actor, ended.Actor)
			require.Equal(t, string(tc.reason), ended.Detail["reason"])
			require.Equal(t, true, ended.Detail["forced"])
			require.Equal(t, string(tc.reason), *b.EndedReason)
		})
	}
}
