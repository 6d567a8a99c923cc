ALTER TABLE records DROP COLUMN judgement_reasons;
