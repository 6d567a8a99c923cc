-- Why the assessor judged a piece of evidence as they did: a JSON object with any of the keys
-- valid, authentic, current, sufficient, reliable, each a text (see service::records). NULL for
-- other records and for evidence recorded without reasons. Kept beside the body, not in it,
-- because the engine never reads reasons: they are for the people in the decision trail.
ALTER TABLE records ADD COLUMN judgement_reasons TEXT;
