ALTER TABLE plans DROP COLUMN closed_at;
DROP TABLE follow_ups;
