ALTER TABLE meeting DROP COLUMN IF EXISTS num_clients_event_at;
