DROP TRIGGER IF EXISTS meeting_deleted_cascade ON meeting;
DROP FUNCTION IF EXISTS meeting_deleted_cascade();
DELETE FROM join_intent i WHERE NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = i.meeting_id);
DELETE FROM meeting_event e WHERE NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = e.meeting_id);
ALTER TABLE join_intent ADD CONSTRAINT join_intent_meeting_id_fkey
	FOREIGN KEY (meeting_id) REFERENCES meeting (id) ON DELETE CASCADE;
ALTER TABLE meeting_event ADD CONSTRAINT meeting_event_meeting_id_fkey
	FOREIGN KEY (meeting_id) REFERENCES meeting (id) ON DELETE CASCADE;
