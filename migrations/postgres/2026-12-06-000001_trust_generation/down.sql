DROP TABLE trust_generation;
