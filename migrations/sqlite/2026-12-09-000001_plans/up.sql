-- Coaches and development plans (docs/plans.md).
-- Which coach works with which of the organisation's candidates ("participants"). An
-- administrator assigns and ends it; ending removes the row, and the audit trail keeps both.
CREATE TABLE coach_assignments (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    coach_id TEXT NOT NULL REFERENCES users(id),
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    assigned_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (coach_id, candidate_id)
);
CREATE INDEX coach_assignments_candidate ON coach_assignments(candidate_id);

-- One plan per participant: the current version's goal and steps as JSON (service::plans),
-- because a step only ever changes with its plan, under the plan's version.
CREATE TABLE plans (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    candidate_id TEXT NOT NULL UNIQUE REFERENCES candidates(id),
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Every version of every plan, written in the transaction that makes it current; never
-- updated, so nothing a participant or coach wrote is lost to a later edit.
CREATE TABLE plan_versions (
    plan_id TEXT NOT NULL REFERENCES plans(id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, version)
);
