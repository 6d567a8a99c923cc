-- Signing out of the pages ends every page session of the user issued before this moment.
ALTER TABLE users ADD COLUMN sessions_valid_after TIMESTAMP;
