-- Up Migration
CREATE TABLE users (
  id               uuid PRIMARY KEY,
  email            text NOT NULL,
  -- Lower-cased and trimmed: one account per address however it is typed.
  email_normalized text NOT NULL UNIQUE,
  name             text NOT NULL,
  role             text NOT NULL CHECK (role IN ('customer', 'admin')),
  password_hash    text NOT NULL,
  preferences      jsonb NOT NULL DEFAULT '{}'::jsonb,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens are stored only as SHA-256 hashes. Each login starts a family; every
-- refresh rotates within it. Presenting a rotated token revokes the whole family.
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Down Migration
DROP TABLE refresh_tokens;
DROP TABLE users;
