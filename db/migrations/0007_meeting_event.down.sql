DROP TABLE IF EXISTS meeting_event;
