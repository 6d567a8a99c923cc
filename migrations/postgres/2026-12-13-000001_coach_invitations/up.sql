-- A coach invited with the participant's consent (docs/plans.md). A coach, or an administrator
-- on the coach's behalf, proposes; nothing is visible to the coach until the participant
-- accepts, which creates the coach_assignments row. An answered invitation is kept as it was
-- answered; at most one is pending per coach and participant.
CREATE TABLE coach_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    coach_id TEXT NOT NULL REFERENCES users(id),
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    invited_by TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP
);
CREATE UNIQUE INDEX coach_invitations_one_pending ON coach_invitations(coach_id, candidate_id)
    WHERE status = 'pending';
CREATE INDEX coach_invitations_candidate ON coach_invitations(candidate_id);

-- When each coach last opened their start page, for "units confirmed since your last visit":
-- `since` is where the current visit's news begin, `opened_at` the latest opening.
CREATE TABLE coach_start_visits (
    coach_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    since TIMESTAMP NOT NULL,
    opened_at TIMESTAMP NOT NULL
);
