DROP TABLE coach_start_visits;
DROP TABLE coach_invitations;
