-- Identifiers are random UUIDs as text: they appear in URLs and must not be guessable.
-- Nothing of an assessment is ever deleted: records get new revisions, decisions change status.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    language TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX users_organisation ON users(organisation_id);

CREATE TABLE frameworks (
    framework_id TEXT NOT NULL,
    version TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id),
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (framework_id, version)
);

CREATE TABLE candidates (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    user_id TEXT UNIQUE REFERENCES users(id),
    display_name TEXT NOT NULL,
    email TEXT,
    language TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX candidates_organisation ON candidates(organisation_id);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    qualification_code TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks(framework_id, version)
);
CREATE INDEX assessments_candidate ON assessments(candidate_id);

CREATE TABLE records (
    id TEXT PRIMARY KEY NOT NULL,
    record_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    record_date DATE NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    withdrawn BOOLEAN NOT NULL,
    reason TEXT,
    UNIQUE (record_id, revision)
);
CREATE INDEX records_assessment ON records(assessment_id);

CREATE TABLE evidence_files (
    id TEXT PRIMARY KEY NOT NULL,
    record_id TEXT NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_files_record ON evidence_files(record_id);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    status TEXT NOT NULL,
    units TEXT NOT NULL,
    qualification_code TEXT,
    based_on TEXT NOT NULL,
    record_authors TEXT NOT NULL,
    assessment_version BIGINT NOT NULL,
    submitted_by TEXT NOT NULL REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    submit_comment TEXT,
    verifier_id TEXT REFERENCES users(id),
    verified_at TIMESTAMP,
    verifier_comment TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX decisions_assessment ON decisions(assessment_id);
-- Duplicate submissions race here, not in application code.
CREATE UNIQUE INDEX decisions_one_open ON decisions(assessment_id) WHERE status = 'submitted';

CREATE TABLE achievements (
    id TEXT PRIMARY KEY NOT NULL,
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    framework_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    confirmed_at TIMESTAMP NOT NULL,
    UNIQUE (candidate_id, framework_id, kind, code)
);
