-- Bumped when a password changes, an account is deactivated or its roles change: every token
-- (API or page session) carries the generation it was issued under, and an older one is refused.
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;

-- Failed sign-ins, keyed by the normalised e-mail whether or not an account has it, so the
-- delay they earn says nothing about which accounts exist. `cleared` is set by a successful
-- sign-in: the row stays on record but no longer counts towards the delay. `seq` numbers an
-- e-mail's attempts; its uniqueness turns two attempts that read the same count at once into
-- one that proceeds and one that waits, on either backend.
CREATE TABLE sign_in_failures (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    seq BIGINT NOT NULL,
    address TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL,
    cleared BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, failed_at);
CREATE UNIQUE INDEX sign_in_failures_seq ON sign_in_failures (email, seq);
