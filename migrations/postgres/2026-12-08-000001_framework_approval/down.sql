ALTER TABLE frameworks DROP COLUMN review_due;
ALTER TABLE frameworks DROP COLUMN decision_comment;
ALTER TABLE frameworks DROP COLUMN decided_at;
ALTER TABLE frameworks DROP COLUMN decided_by;
ALTER TABLE frameworks DROP COLUMN uploaded_by;
ALTER TABLE frameworks DROP COLUMN status;
