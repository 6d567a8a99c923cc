-- The audit trail: security events in one global hash chain (see docs/audit.md). Rows are only
-- ever inserted. SQLite has no way to forbid UPDATE or DELETE to the application's own
-- connection, so here the chain is the protection: `validera audit verify` names the first
-- row that was edited or removed.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    at TIMESTAMP NOT NULL,
    organisation_id TEXT,
    actor_id TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- Two writers that read the same head both try the same seq: one insert fails and retries,
-- the chain never forks.
CREATE UNIQUE INDEX audit_events_seq ON audit_events(seq);
CREATE INDEX audit_events_org_seq ON audit_events(organisation_id, seq);
