-- The audit trail: security events in one global hash chain (see docs/audit.md). Rows are only
-- ever inserted; the trigger below refuses UPDATE and DELETE, so an edit needs a superuser
-- who drops it first, and `validera audit verify` still names the first row changed.
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

CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
