DROP TABLE eqa_counters;
DROP INDEX organisations_one_awarding_body;
ALTER TABLE organisations DROP COLUMN names_in_credentials;
ALTER TABLE organisations DROP COLUMN awarding_body;
