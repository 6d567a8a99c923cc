-- One row that /readyz updates: a database that answers reads but cannot write (full disk,
-- read-only file or replica) is not ready.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY NOT NULL,
    probes BIGINT NOT NULL
);
INSERT INTO health_probe (id, probes) VALUES (1, 0);
