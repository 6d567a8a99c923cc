-- Sign-out ends every session and token of the user issued before this moment.
ALTER TABLE users ADD COLUMN sessions_valid_after TIMESTAMP;
