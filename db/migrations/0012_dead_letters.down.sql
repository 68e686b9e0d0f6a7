ALTER TABLE meeting DROP COLUMN room_delete_dead_at;
ALTER TABLE meeting DROP COLUMN room_delete_requeued_at;
ALTER TABLE meeting DROP COLUMN room_delete_requeues;
ALTER TABLE transcript DROP COLUMN dead_at;
ALTER TABLE transcript DROP COLUMN requeues;
ALTER TABLE recording DROP COLUMN dead_at;
ALTER TABLE recording DROP COLUMN requeues;
