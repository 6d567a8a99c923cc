-- A group's name and theme can be changed by its coach; the version makes a change made from a
-- stale copy a conflict (409) rather than a silent overwrite.
ALTER TABLE peer_groups ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
