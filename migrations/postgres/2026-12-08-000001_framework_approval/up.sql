-- A framework version is a draft until a panel member of its organisation approves it (or
-- returns it); only approved versions can be assessed against. `decided_by` NULL on an approved
-- version means the system: shipped frameworks are approved as they are loaded. `review_due` is
-- when the panel should look at the version again (4 years after approval unless the panel
-- sets another date); `uploaded_by` is kept for the four-eyes rule.
ALTER TABLE frameworks ADD COLUMN status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'returned'));
ALTER TABLE frameworks ADD COLUMN uploaded_by TEXT;
ALTER TABLE frameworks ADD COLUMN decided_by TEXT;
ALTER TABLE frameworks ADD COLUMN decided_at TIMESTAMP;
ALTER TABLE frameworks ADD COLUMN decision_comment TEXT;
ALTER TABLE frameworks ADD COLUMN review_due DATE;

-- Every version stored before approval existed was already in use: approved by the system on
-- the day it was loaded.
UPDATE frameworks SET status = 'approved', decided_at = loaded_at, review_due = CAST(loaded_at + INTERVAL '4 years' AS DATE);
