-- Users (pkg/user), as the original's "user" and "user_api_key" tables.
-- user_account maps the identity provider's sub to the internal id that owns rows (room.user_id,
-- meeting_consent.user_id, ...). A sub first seen here maps to itself (id = sub), so rows this
-- service created before the table existed keep their owner; a user imported from the original
-- keeps the original's internal id, so imported ownership stays with the same person.
CREATE TABLE user_account (
	id         text PRIMARY KEY,
	sub        text NOT NULL,
	email      text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT uq_user_account_sub UNIQUE (sub)
);

-- key_hash is hex(HMAC-SHA256(SECRET_KEY, key)), the original's format: keys are never stored,
-- and with the original's SECRET_KEY its imported keys keep working.
CREATE TABLE user_api_key (
	id         uuid PRIMARY KEY,
	user_id    text NOT NULL,
	key_hash   text NOT NULL,
	name       text,
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT uq_user_api_key_hash UNIQUE (key_hash)
);
CREATE INDEX idx_user_api_key_user ON user_api_key (user_id);
