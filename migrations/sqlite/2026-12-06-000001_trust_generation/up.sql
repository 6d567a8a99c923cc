-- One row counting the changes to what a verifier concludes from this database: keys made,
-- retired or declared compromised, certificates re-signed, revoked, suspended or reinstated,
-- status lists made or re-signed. Each such write bumps it in its own transaction; every
-- instance polls it and drops its cached keys, status bits and credential rows when it moved.
CREATE TABLE trust_generation (
    id INTEGER PRIMARY KEY NOT NULL,
    generation BIGINT NOT NULL
);
INSERT INTO trust_generation (id, generation) VALUES (1, 0);
