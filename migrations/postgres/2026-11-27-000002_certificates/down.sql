DROP TABLE credential_events;
DROP TABLE credentials;
DROP TABLE status_lists;
DROP TABLE signing_keys;
