-- Peer groups (docs/plans.md, issue 14 part 4): a coach gathers participants around a theme,
-- holds sessions and gives assignments between them.
CREATE TABLE peer_groups (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    coach_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    theme TEXT NOT NULL,
    -- Seats given so far: the next member gets the next one.
    seats_given BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- A member and what they chose to share with the group. Nothing is shared until the member
-- says so: the group sees "Participant <seat>" and no goal. `seat` numbers members in the
-- order they joined, and is never reused within the group, so a label never moves to another
-- person.
CREATE TABLE peer_group_members (
    group_id TEXT NOT NULL REFERENCES peer_groups(id),
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    seat BIGINT NOT NULL,
    share_name BOOLEAN NOT NULL,
    share_goal BOOLEAN NOT NULL,
    joined_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, candidate_id),
    UNIQUE (group_id, seat)
);

-- A meeting of the group. `attended` is a JSON array of candidate ids; only the coach reads it
-- and the notes.
CREATE TABLE peer_group_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES peer_groups(id),
    session_date DATE NOT NULL,
    topic TEXT NOT NULL,
    notes TEXT NOT NULL,
    assignment TEXT NOT NULL,
    attended TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX peer_group_sessions_group ON peer_group_sessions(group_id, session_date);
