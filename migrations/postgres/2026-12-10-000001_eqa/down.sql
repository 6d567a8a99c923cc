DROP TABLE eqa_samples;
DROP TABLE eqa_plans;
