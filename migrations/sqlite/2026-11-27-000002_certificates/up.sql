-- Signing keys, issued credentials and their status lists. Private keys are stored sealed with
-- the master key (XChaCha20-Poly1305); the database alone cannot sign.

CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    public_key TEXT NOT NULL,
    sealed_private_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP,
    compromised_from TIMESTAMP,
    compromise_reason TEXT
);
CREATE INDEX signing_keys_organisation ON signing_keys(organisation_id);
-- One active key per organisation.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(organisation_id) WHERE retired_at IS NULL;

CREATE TABLE status_lists (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    purpose TEXT NOT NULL,
    size BIGINT NOT NULL,
    bits BLOB NOT NULL,
    signed_credential TEXT,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, purpose)
);

CREATE TABLE credentials (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    kind TEXT NOT NULL,
    achievement_code TEXT NOT NULL,
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES signing_keys(id),
    status_index BIGINT NOT NULL,
    document TEXT NOT NULL,
    jwt TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    valid_until TIMESTAMP,
    revoked_at TIMESTAMP,
    revocation_reason TEXT,
    suspended_at TIMESTAMP,
    suspension_reason TEXT,
    version BIGINT NOT NULL,
    UNIQUE (organisation_id, status_index),
    UNIQUE (decision_id, kind, achievement_code)
);
CREATE INDEX credentials_candidate ON credentials(candidate_id);

-- Who revoked, suspended or reinstated what, when and why; never updated.
CREATE TABLE credential_events (
    id TEXT PRIMARY KEY NOT NULL,
    credential_id TEXT NOT NULL REFERENCES credentials(id),
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX credential_events_credential ON credential_events(credential_id);
