DROP TABLE credential_history;
