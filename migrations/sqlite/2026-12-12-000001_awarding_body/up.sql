-- The awarding body and names by consent (docs/eqa.md).
-- At most one organisation is the instance's awarding body: its external quality assurers
-- sample every organisation's decisions on the frameworks it owns (the shipped ones and its
-- own uploads), and its sampling plans apply to all organisations.
ALTER TABLE organisations ADD COLUMN awarding_body BOOLEAN NOT NULL DEFAULT FALSE;
-- Whether the QA chain in the organisation's credentials names the people (off: roles and
-- dates only).
ALTER TABLE organisations ADD COLUMN names_in_credentials BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX organisations_one_awarding_body ON organisations(awarding_body) WHERE awarding_body;

-- Each assessor's confirmed decisions on a framework in an organisation, counted in the
-- confirming transaction: the row is updated (and so locked) before the count is read, so
-- simultaneous confirmations take distinct positions in the sampling sequence.
CREATE TABLE eqa_counters (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    framework_id TEXT NOT NULL,
    assessor_id TEXT NOT NULL REFERENCES users(id),
    confirmed BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, framework_id, assessor_id)
);
INSERT INTO eqa_counters (organisation_id, framework_id, assessor_id, confirmed)
SELECT a.organisation_id, a.framework_id, d.submitted_by, COUNT(*)
FROM decisions d JOIN assessments a ON a.id = d.assessment_id
WHERE d.status = 'confirmed'
GROUP BY a.organisation_id, a.framework_id, d.submitted_by;
