-- Webhook inbox processing (pkg/webhook).
-- num_clients_event_at: provider time of the event that last set num_clients from a webhook
-- (Whereby's absolute numClients). Whereby may deliver an event more than once and out of
-- order; an event older than this one is ignored, so the count never moves backwards.
ALTER TABLE meeting ADD COLUMN num_clients_event_at timestamptz;
