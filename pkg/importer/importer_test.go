package importer_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/importer"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

type testBundle struct {
	src *sqlx.DB // the original's database, loaded from the fixture
	dst *sqlx.DB // ours, migrated
}

// setup loads testdata/reflector_v034.sql into an empty database; breakSource runs after it,
// to damage the source the way a test needs.
func setup(t *testing.T, breakSource string) *testBundle {
	t.Helper()
	src := loadFixture(t)
	if breakSource != "" {
		_, err := src.Exec(breakSource)
		require.NoError(t, err)
	}
	return &testBundle{src: src, dst: storetest.NewDB(t)}
}

// loadFixture is a database of the original, as testdata/reflector_v034.sql builds it.
func loadFixture(t *testing.T) *sqlx.DB {
	t.Helper()
	fixture, err := os.ReadFile("testdata/reflector_v034.sql")
	require.NoError(t, err)
	src, _ := storetest.NewEmptyDBURL(t)
	_, err = src.Exec(string(fixture))
	require.NoError(t, err)
	return src
}

func (b *testBundle) run(t *testing.T, opts importer.Options) (*importer.Report, string, error) {
	t.Helper()
	var out bytes.Buffer
	opts.Progress, opts.ProgressEvery = &out, 2
	rep, err := importer.Run(context.Background(), b.src, b.dst, opts)
	rep.Print(&out)
	return rep, out.String(), err
}

// counts is every table's Inserted/Updated/Unchanged/Skipped, keyed by table.
func counts(rep *importer.Report) map[string][4]int {
	out := map[string][4]int{}
	for _, c := range rep.Tables {
		out[c.Table] = [4]int{c.Inserted, c.Updated, c.Unchanged, c.Skipped}
	}
	return out
}

// importedTables are our tables the import writes.
var importedTables = []string{"user_account", "user_api_key", "room", "calendar_event", "meeting", //nolint:gochecknoglobals // test table
	"meeting_consent", "participant_session", "recording"}

// xmins fingerprints every row of the imported tables: a row written again gets a new xmin.
func xmins(t *testing.T, db *sqlx.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range importedTables {
		var rows []struct {
			ID   string `db:"id"`
			Xmin string `db:"xmin"`
		}
		require.NoError(t, db.Select(&rows, `SELECT id::text, xmin::text FROM `+table))
		for _, r := range rows {
			out[table+"/"+r.ID] = r.Xmin
		}
	}
	return out
}

func rowCount(t *testing.T, db *sqlx.DB, table string) int {
	t.Helper()
	var n int
	require.NoError(t, db.Get(&n, `SELECT count(*) FROM `+table))
	return n
}

func requireEmpty(t *testing.T, db *sqlx.DB) {
	t.Helper()
	for _, table := range importedTables {
		require.Zero(t, rowCount(t, db, table), "%s must be empty: a failed import writes nothing", table)
	}
}

func TestImportFixture(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	rep, out, err := b.run(t, importer.Options{})
	require.NoError(t, err, out)
	want := map[string][4]int{
		"user_account": {2, 0, 0, 0}, "user_api_key": {2, 0, 0, 0}, "room": {4, 0, 0, 0},
		"calendar_event": {3, 0, 0, 0}, "meeting": {7, 0, 0, 0}, "meeting_consent": {3, 0, 0, 0},
		"participant_session": {3, 0, 0, 0}, "recording": {4, 0, 0, 0},
	}
	require.Equal(t, want, counts(rep), out)
	require.Equal(t, 2, rep.Transcripts)
	require.Empty(t, rep.Skipped)
	require.Contains(t, out, "meeting 104318277: id is not a uuid: imported as ")
	require.Contains(t, out, "meeting_consent 40000000-0000-4000-8000-000000000004: an older answer of the same user")
	require.Contains(t, out, "meeting 30000000-0000-4000-8000-000000000006: the room has a newer active meeting")
	requireRows(t, b.dst)

	t.Run("a second run writes nothing", func(t *testing.T) {
		before := xmins(t, b.dst)
		rep, out, err := b.run(t, importer.Options{})
		require.NoError(t, err, out)
		require.Zero(t, rep.Changed(), out)
		require.Contains(t, out, "nothing to change")
		require.Equal(t, before, xmins(t, b.dst))
	})
}

// requireRows checks a few imported rows field by field.
func requireRows(t *testing.T, db *sqlx.DB) {
	t.Helper()
	var room struct {
		Name, UserID, Platform, RoomMode, RecordingType, RecordingTrigger, ZulipStream, ZulipTopic string
		WebhookURL, WebhookSecret, ICSURL, ICSLastEtag                                             *string
		ICSFetchInterval                                                                           int
		ICSEnabled, IsShared, IsLocked, SkipConsent, ZulipAutoPost                                 bool
		ICSLastSync                                                                                *time.Time
	}
	q := `SELECT name, user_id AS userid, platform, room_mode AS roommode, recording_type AS recordingtype,
		recording_trigger AS recordingtrigger, zulip_stream AS zulipstream, zulip_topic AS zuliptopic,
		webhook_url AS webhookurl, webhook_secret AS webhooksecret, ics_url AS icsurl, ics_last_etag AS icslastetag,
		ics_fetch_interval AS icsfetchinterval, ics_enabled AS icsenabled, is_shared AS isshared, is_locked AS islocked,
		skip_consent AS skipconsent, zulip_auto_post AS zulipautopost, ics_last_sync AS icslastsync FROM room WHERE id = $1`
	require.NoError(t, db.Get(&room, q, "10000000-0000-4000-8000-000000000003"))
	require.Equal(t, "alice-calendar", room.Name)
	require.Equal(t, "a11ce000-0000-4000-8000-000000000001", room.UserID)
	require.Equal(t, "daily", room.Platform)
	require.Equal(t, "automatic", room.RecordingTrigger)
	require.Equal(t, "https://calendar.example.com/private-9a8b7c/basic.ics", *room.ICSURL)
	require.Equal(t, 600, room.ICSFetchInterval)
	require.True(t, room.ICSEnabled && room.IsLocked && room.SkipConsent)
	require.Equal(t, `"5d41402abc4b2a76b9719d911017c592"`, *room.ICSLastEtag)
	require.True(t, room.ICSLastSync.Equal(time.Date(2025, 12, 1, 9, 50, 0, 0, time.UTC)))
	require.NoError(t, db.Get(&room, q, "10000000-0000-4000-8000-000000000001"))
	require.Equal(t, "https://hooks.example.com/reflector/alice", *room.WebhookURL)
	require.Equal(t, "whsec_4f1d0c9a7e", *room.WebhookSecret)
	require.True(t, room.ZulipAutoPost)
	require.Equal(t, []string{"engineering", "standups"}, []string{room.ZulipStream, room.ZulipTopic})
	require.NoError(t, db.Get(&room, q, "10000000-0000-4000-8000-000000000004"))
	require.Equal(t, 300, room.ICSFetchInterval, "NULL interval takes the original's default")
	require.Equal(t, []string{"", ""}, []string{room.ZulipStream, room.ZulipTopic})

	var m struct {
		Kind, Platform, ProviderMeetingID, RoomName, HostRoomURL string
		IsActive, EverJoined                                     bool
		EndedReason                                              *string
		EndedAt, DeletedAt                                       *time.Time
	}
	mq := `SELECT m.kind, m.platform, m.provider_meeting_id AS providermeetingid, m.room_name AS roomname,
		m.host_room_url AS hostroomurl, m.is_active AS isactive, m.ever_joined AS everjoined,
		m.ended_reason AS endedreason, m.ended_at AS endedat, m.provider_room_deleted_at AS deletedat
		FROM meeting m WHERE m.provider_meeting_id = $1`
	require.NoError(t, db.Get(&m, mq, "104318277"))
	require.Equal(t, "adhoc", m.Kind)
	require.Equal(t, "/a1b2c3d4-alice-standup", m.RoomName)
	require.False(t, m.IsActive)
	require.Equal(t, "imported", *m.EndedReason)
	require.True(t, m.EndedAt.Equal(time.Date(2025, 11, 25, 9, 0, 0, 0, time.UTC)))
	require.Equal(t, m.EndedAt, m.DeletedAt, "the original dealt with the provider room")
	require.NoError(t, db.Get(&m, mq, "30000000-0000-4000-8000-000000000003"))
	require.True(t, m.IsActive && m.EverJoined)
	require.Equal(t, "adhoc", m.Kind)
	require.Nil(t, m.EndedAt)
	require.NoError(t, db.Get(&m, mq, "30000000-0000-4000-8000-000000000006"))
	require.Equal(t, "extra", m.Kind)
	require.NoError(t, db.Get(&m, mq, "98765432"))
	require.Equal(t, "", m.HostRoomURL, "NULL host URL becomes empty")

	var link string
	require.NoError(t, db.Get(&link, `SELECT meeting_id::text FROM calendar_event WHERE id = $1`, "20000000-0000-4000-8000-000000000002"))
	require.Equal(t, "30000000-0000-4000-8000-000000000005", link)

	var rec struct {
		Platform, Kind, ObjectKey, Status, MeetingID string
		ProviderID                                   *string
		TrackKeys                                    []byte
	}
	require.NoError(t, db.Get(&rec, `SELECT platform, kind, object_key AS objectkey, status, meeting_id::text AS meetingid,
		provider_recording_id AS providerid, track_keys AS trackkeys FROM recording WHERE id = $1`, "50000000-0000-4000-8000-000000000002"))
	require.Equal(t, []string{"daily", "raw-tracks", "daily/team-weekly-20251201100000", "processing", "30000000-0000-4000-8000-000000000003"},
		[]string{rec.Platform, rec.Kind, rec.ObjectKey, rec.Status, rec.MeetingID})
	require.Equal(t, "50000000-0000-4000-8000-000000000002", *rec.ProviderID)
	require.Contains(t, string(rec.TrackKeys), "1764583275000-9e2d-cam-audio.webm")

	var consent bool
	require.NoError(t, db.Get(&consent, `SELECT consent_given FROM meeting_consent WHERE id = $1`, "40000000-0000-4000-8000-000000000003"))
	require.True(t, consent, "the latest answer is kept")
	var sub string
	require.NoError(t, db.Get(&sub, `SELECT sub FROM user_account WHERE id = $1`, "a11ce000-0000-4000-8000-000000000001"))
	require.Equal(t, "ak-7f3c2a91d4e8alice", sub)
}

func TestImportDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	rep, out, err := b.run(t, importer.Options{DryRun: true})
	require.NoError(t, err, out)
	require.Equal(t, 7, counts(rep)["meeting"][0], out)
	require.Contains(t, out, "dry run: 28 rows would change, nothing was written")
	require.Contains(t, out, "would_insert=7")
	requireEmpty(t, b.dst)
}

func TestImportBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, breakSource, line string
	}{
		{"missing table", `DROP TABLE meeting_consent`,
			`import: source has no table "meeting_consent": is it the database of a Reflector v0.34 install`},
		{"unknown enum value", `UPDATE room SET recording_type = 'video' WHERE name = 'bob-1on1'`,
			`skipped room 10000000-0000-4000-8000-000000000004: recording_type "video" is not one of none, local, cloud`},
		{"NULL where a value is needed", `UPDATE meeting SET start_date = NULL WHERE id = '30000000-0000-4000-8000-000000000006'`,
			`skipped meeting 30000000-0000-4000-8000-000000000006: start_date is NULL`},
		{"meeting without a room", `UPDATE meeting SET room_id = NULL WHERE id = '30000000-0000-4000-8000-000000000006'`,
			`skipped meeting 30000000-0000-4000-8000-000000000006: room_id is NULL`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tc.breakSource)
			_, out, err := b.run(t, importer.Options{})
			require.Error(t, err)
			require.Contains(t, out+err.Error(), tc.line)
			requireEmpty(t, b.dst)
		})
	}
}

func TestImportSkipUnmappableListsDependents(t *testing.T) {
	t.Parallel()
	b := setup(t, `UPDATE room SET recording_type = 'video' WHERE name = 'bob-1on1'`)
	rep, out, err := b.run(t, importer.Options{SkipUnmappable: true})
	require.NoError(t, err, out)
	require.Contains(t, out, "skipped meeting 98765432: room 10000000-0000-4000-8000-000000000004 was not imported")
	require.Len(t, rep.Skipped, 2)
	require.Equal(t, 3, rowCount(t, b.dst, "room"))
	require.Equal(t, 6, rowCount(t, b.dst, "meeting"))
}

func TestImportFailureRollsBack(t *testing.T) {
	t.Parallel()
	b := setup(t, "")
	// A key with the same hash already here: the write of the imported key fails midway, after
	// the users were written.
	_, err := b.dst.Exec(`INSERT INTO user_api_key (id, user_id, key_hash) VALUES (gen_random_uuid(), 'someone',
		'82e485d58dc9ff64119e3d8dcf6d1341a970096c3c19d939b5b48dde1cb31a31')`)
	require.NoError(t, err)
	_, out, err := b.run(t, importer.Options{})
	require.ErrorContains(t, err, "write user_api_key c0ffee00-0000-4000-8000-000000000001")
	require.ErrorContains(t, err, "rolled back, nothing written")
	require.Contains(t, out, "failed: rolled back, nothing written")
	require.Zero(t, rowCount(t, b.dst, "user_account"))
	require.Equal(t, 1, rowCount(t, b.dst, "user_api_key"))
}
