ALTER TABLE peer_groups DROP COLUMN version;
