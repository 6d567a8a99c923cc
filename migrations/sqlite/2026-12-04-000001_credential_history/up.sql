-- A credential's earlier signed forms. After its signing key is declared compromised, a
-- credential issued before the compromise date is re-signed with the new key (same id, same
-- content, new proof and VC-JWT); the bytes it had before are kept here, never updated.
CREATE TABLE credential_history (
    id TEXT PRIMARY KEY NOT NULL,
    credential_id TEXT NOT NULL REFERENCES credentials(id),
    key_id TEXT NOT NULL REFERENCES signing_keys(id),
    document TEXT NOT NULL,
    jwt TEXT NOT NULL,
    replaced_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX credential_history_credential ON credential_history(credential_id);
