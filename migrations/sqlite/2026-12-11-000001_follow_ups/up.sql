-- Follow-ups and closing a plan (docs/plans.md, issue 14 parts 3 and 6).
-- A coach's meeting with a participant: its date, short notes, the next steps agreed and the
-- next meeting. Sensitive like the plan: read only by the participant and their coaches, and
-- deleted by `validera retention run` once the meeting is older than the retention period.
CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    meeting_date DATE NOT NULL,
    notes TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    next_meeting DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX follow_ups_candidate ON follow_ups(candidate_id, meeting_date);

-- When the coaching ended; a closed plan is deleted with its versions once this is older than
-- the retention period. NULL while the plan is open.
ALTER TABLE plans ADD COLUMN closed_at TIMESTAMP;
