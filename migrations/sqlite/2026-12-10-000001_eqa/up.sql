-- External quality assurance (docs/eqa.md).
-- How the organisation's confirmed decisions on a framework (all its versions) are sampled
-- for the external quality assurer: each assessor's first `first_n` decisions, then
-- `then_percent` of the rest (spread evenly, see service::eqa::sampled). With
-- `eqa_required`, a sampled decision's certificates wait for the assurer's agreement.
CREATE TABLE eqa_plans (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    framework_id TEXT NOT NULL,
    first_n BIGINT NOT NULL CHECK (first_n >= 0),
    then_percent BIGINT NOT NULL CHECK (then_percent >= 0 AND then_percent <= 100),
    eqa_required BOOLEAN NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, framework_id)
);

-- A confirmed decision drawn into the sample, written in the confirming transaction.
-- `position` is the decision's place among its assessor's confirmed decisions on the
-- framework (1 = first); `held` is the plan's `eqa_required` at that moment. A "not agreed"
-- on a decision whose certificates were issued opens a review (`review = 'open'`) that an
-- administrator closes by suspending them or keeping them.
CREATE TABLE eqa_samples (
    decision_id TEXT PRIMARY KEY NOT NULL REFERENCES decisions(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    framework_id TEXT NOT NULL,
    assessor_id TEXT NOT NULL REFERENCES users(id),
    position BIGINT NOT NULL,
    held BOOLEAN NOT NULL,
    sampled_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'agreed', 'not-agreed')),
    assurer_id TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    comment TEXT,
    review TEXT CHECK (review IN ('open', 'suspended', 'kept')),
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at TIMESTAMP,
    review_reason TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX eqa_samples_queue ON eqa_samples(organisation_id, status);
