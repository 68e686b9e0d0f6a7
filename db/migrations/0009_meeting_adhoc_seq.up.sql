-- The ordinal of a room's ad-hoc meetings. A new ad-hoc meeting takes max + 1, and its id is
-- derived from (room, ordinal), so concurrent first joiners compute the same meeting (and the
-- same provider room name) without holding a lock while the provider creates the room.
ALTER TABLE meeting ADD COLUMN adhoc_seq bigint;
CREATE UNIQUE INDEX uq_meeting_adhoc_seq ON meeting (room_id, adhoc_seq) WHERE adhoc_seq IS NOT NULL;
