DROP TABLE plan_versions;
DROP TABLE plans;
DROP TABLE coach_assignments;
